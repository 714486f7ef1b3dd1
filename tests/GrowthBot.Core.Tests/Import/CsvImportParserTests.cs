using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Formulas;
using static GrowthBot.Core.Tests.Import.ImportFixtures;

namespace GrowthBot.Core.Tests.Import;

/// <summary>Good files: each kind of CSV parses into exactly the records it describes.</summary>
public sealed class CsvImportParserTests
{
    private static ImportParseResult ParseGood(ImportKind kind)
    {
        var result = ParseFile(kind);
        Assert.True(result.Errors.Count == 0, Describe(result.Errors));
        return result;
    }

    [Fact]
    public void Parse_CustomersFile_ReadsEveryCustomer()
    {
        var result = ParseGood(ImportKind.Customers);

        Assert.Equal(3, result.Rows);
        Assert.Equal(
            new Customer[]
            {
                new("c1", "Acme Ltd", "enterprise", "paid-search", At(1, 5, 9, 30, 15), At(1, 7, 14, 0, 0)),
                new("c2", "Björk, Søn & Co", "smb", "referral", At(2, 1), null),
                new("c3", "", "smb", "organic", At(3, 10, 21, 59, 59), At(3, 11, 8, 0, 0)),
            },
            result.Batch.Customers);
        Assert.Equal(3, result.Batch.Count);
    }

    [Fact]
    public void Parse_SubscriptionsFile_ReadsEveryChangeWithMrrRoundedToFourPlaces()
    {
        var result = ParseGood(ImportKind.Subscriptions);

        Assert.Equal(5, result.Rows);
        Assert.Equal(
            new SubscriptionChange[]
            {
                new("c1", At(1, 7), 499m),
                new("c1", At(2, 7), 749.50m),
                new("c1", At(3, 7, 12, 0, 0), 0m),
                new("c2", At(2, 1), 50m),
                new("c3", At(3, 11), 120.1234m),
            },
            result.Batch.Subscriptions);
        Assert.Equal(5, result.Batch.Count);
    }

    [Fact]
    public void Parse_OrdersFile_ReadsEveryOrder()
    {
        var result = ParseGood(ImportKind.Orders);

        Assert.Equal(
            new Order[]
            {
                new("o1", "c1", At(1, 8, 10, 15, 0), 1200.25m),
                new("o2", "c2", At(2, 3), 0.0001m),
                new("o3", "c2", At(2, 28, 23, 0, 0), 15m),
            },
            result.Batch.Orders);
        Assert.Equal(3, result.Batch.Count);
    }

    [Fact]
    public void Parse_SpendFile_ReadsEveryEntryWithCategoryInAnyCase()
    {
        var result = ParseGood(ImportKind.Spend);

        Assert.Equal(
            new SpendEntry[]
            {
                new(At(1, 1), "paid-search", SpendCategory.Marketing, 10_000m),
                new(At(1, 1), "paid-search", SpendCategory.Sales, 2_500.5m),
                new(At(2, 1), "referral", SpendCategory.Onboarding, 300m),
            },
            result.Batch.Spend);
        Assert.Equal(3, result.Batch.Count);
    }

    [Fact]
    public void Parse_TicketsFile_ReadsResolvedAndOpenTickets()
    {
        var result = ParseGood(ImportKind.Tickets);

        Assert.Equal(
            new Ticket[]
            {
                new("t1", "c1", At(1, 10, 8, 0, 0), At(1, 10, 9, 45, 30), 1),
                new("t2", "c1", At(1, 12), At(1, 20), 4),
                new("t3", "c2", At(2, 14, 16, 20, 0), null, 0),
                new("t4", "c3", At(3, 12), null, 2),
            },
            result.Batch.Tickets);
        Assert.Equal(4, result.Batch.Count);
    }

    [Fact]
    public void Parse_ResponsesFile_ReadsEveryResponseWithOrWithoutComment()
    {
        var result = ParseGood(ImportKind.Responses);

        Assert.Equal(4, result.Rows);
        Assert.Equal(
            new SurveyResponse[]
            {
                new("r1", SurveyKind.Nps, "c1", 10, "Great, fast support\nand a \"real\" person", At(1, 15, 11, 0, 0)),
                new("r2", SurveyKind.Nps, "c2", 0, null, At(2, 15)),
                new("r3", SurveyKind.Ces, "c1", 7, "Easy", At(2, 16)),
                new("r4", SurveyKind.Csat, "c3", 1, null, At(3, 20, 17, 5, 1)),
            },
            result.Batch.Responses);
        Assert.Equal(4, result.Batch.Count);
    }

    [Theory]
    [InlineData(ImportKind.Customers)]
    [InlineData(ImportKind.Subscriptions)]
    [InlineData(ImportKind.Orders)]
    [InlineData(ImportKind.Spend)]
    [InlineData(ImportKind.Tickets)]
    [InlineData(ImportKind.Responses)]
    public void Parse_GoodFile_EveryDateIsUtcToTheSecond(ImportKind kind)
    {
        var batch = ParseGood(kind).Batch;

        var dates = batch.Customers.SelectMany(c => new[] { (DateTime?)c.SignedUpAt, c.ActivatedAt })
            .Concat(batch.Subscriptions.Select(s => (DateTime?)s.At))
            .Concat(batch.Orders.Select(o => (DateTime?)o.OrderedAt))
            .Concat(batch.Spend.Select(s => (DateTime?)s.Date))
            .Concat(batch.Tickets.SelectMany(t => new[] { (DateTime?)t.OpenedAt, t.ResolvedAt }))
            .Concat(batch.Responses.Select(r => (DateTime?)r.RespondedAt))
            .OfType<DateTime>()
            .ToList();

        Assert.NotEmpty(dates);
        Assert.All(dates, date =>
        {
            Assert.Equal(DateTimeKind.Utc, date.Kind);
            Assert.Equal(0, date.Ticks % TimeSpan.TicksPerSecond);
        });
    }

    [Theory]
    [InlineData(ImportKind.Customers)]
    [InlineData(ImportKind.Subscriptions)]
    [InlineData(ImportKind.Orders)]
    [InlineData(ImportKind.Spend)]
    [InlineData(ImportKind.Tickets)]
    [InlineData(ImportKind.Responses)]
    public void Parse_HeaderOnly_IsAnEmptyBatchWithoutErrors(ImportKind kind)
    {
        var result = Parse(kind, WithHeader(kind));

        Assert.Empty(result.Errors);
        Assert.Equal(0, result.Rows);
        Assert.Equal(0, result.Batch.Count);
    }

    [Fact]
    public void Parse_WithProgress_ReportsTheRowsReadAtTheEnd()
    {
        var reports = new List<ImportProgress>();
        using var reader = new StreamReader(PathOf(ImportKind.Tickets));

        CsvImportParser.Parse(ImportKind.Tickets, reader, new ListProgress<ImportProgress>(reports));

        Assert.Equal(new ImportProgress("reading", 4, 4), reports[^1]);
    }

    // ---- Dates ----------------------------------------------------------------------------

    [Theory]
    [InlineData("2025-03-01", 2025, 3, 1, 0, 0, 0)]
    [InlineData("2025-03-01T09:30", 2025, 3, 1, 9, 30, 0)]
    [InlineData("2025-03-01T09:30:15", 2025, 3, 1, 9, 30, 15)]
    [InlineData("2025-03-01T09:30:15Z", 2025, 3, 1, 9, 30, 15)]
    [InlineData("2025-03-01 09:30:15", 2025, 3, 1, 9, 30, 15)]
    [InlineData("2025-03-01T09:30:15.999Z", 2025, 3, 1, 9, 30, 15)]
    [InlineData("2025-03-01T09:30:15.1234567", 2025, 3, 1, 9, 30, 15)]
    [InlineData("2025-03-01T09:30:15+02:00", 2025, 3, 1, 7, 30, 15)]
    [InlineData("2025-03-01T09:30+02:00", 2025, 3, 1, 7, 30, 0)]
    [InlineData("2025-03-01T22:30:00-05:00", 2025, 3, 2, 3, 30, 0)]
    [InlineData("2025-01-01T00:30:00+01:00", 2024, 12, 31, 23, 30, 0)]
    [InlineData("2000-01-01", 2000, 1, 1, 0, 0, 0)]
    [InlineData("2067-12-31T23:59:59Z", 2067, 12, 31, 23, 59, 59)]
    public void Parse_IsoDate_IsTheUtcMomentToTheSecond(string text, int year, int month, int day, int hour, int minute, int second)
    {
        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, $"o1,c1,{text},5"));

        Assert.Empty(result.Errors);
        var orderedAt = Assert.Single(result.Batch.Orders).OrderedAt;
        Assert.Equal(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc), orderedAt);
        Assert.Equal(DateTimeKind.Utc, orderedAt.Kind);
    }

    // ---- Amounts ------------------------------------------------------------------------------

    [Theory]
    [InlineData("0", "0")]
    [InlineData("12", "12")]
    [InlineData("12.5", "12.5")]
    [InlineData(".5", "0.5")]
    [InlineData("+7", "7")]
    [InlineData(" 42.10 ", "42.10")]
    [InlineData("1.23454", "1.2345")]
    [InlineData("1.23455", "1.2346")]
    [InlineData("0.00004", "0")]
    [InlineData("0.00005", "0.0001")]
    [InlineData("999999999.9999", "999999999.9999")]
    public void Parse_Amount_IsRoundedToFourDecimalPlaces(string text, string expected)
    {
        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, $"o1,c1,2025-01-01,{text}"));

        Assert.Empty(result.Errors);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(result.Batch.Orders).Amount);
    }

    // ---- Survey scales --------------------------------------------------------------------

    [Theory]
    [InlineData("nps", 0)]
    [InlineData("nps", 10)]
    [InlineData("ces", 1)]
    [InlineData("ces", 7)]
    [InlineData("csat", 1)]
    [InlineData("csat", 5)]
    [InlineData("Csat", 3)]
    [InlineData(" nps ", 5)]
    public void Parse_ScoreAtTheEdgeOfItsScale_IsAccepted(string survey, int score)
    {
        var result = Parse(ImportKind.Responses, WithHeader(ImportKind.Responses, $"r1,{survey},c1,{score},,2025-01-01"));

        Assert.Empty(result.Errors);
        var response = Assert.Single(result.Batch.Responses);
        Assert.Equal(score, response.Score);
        Assert.Equal(Enum.Parse<SurveyKind>(survey.Trim(), ignoreCase: true), response.Survey);
    }

    // ---- Layout: header, quoting, blank lines, duplicates ---------------------------------------

    [Fact]
    public void Parse_ExcelFileWithBomCrlfAndHeaderInOtherCaseAndSpacing_ReadsTheRows()
    {
        var result = ParseFile(ImportKind.Customers, "customers-excel.csv");

        Assert.Empty(result.Errors);
        Assert.Equal(
            new Customer("c1", "Acme Ltd", "enterprise", "paid-search", At(1, 5, 9, 30, 15), At(1, 7, 14, 0, 0)),
            Assert.Single(result.Batch.Customers));
    }

    [Fact]
    public void Parse_BomLeftInTheText_IsIgnoredInTheHeader()
    {
        var result = Parse(ImportKind.Subscriptions, "\uFEFFcustomer_id,date,mrr\nc1,2025-01-01,10\n");

        Assert.Empty(result.Errors);
        Assert.Single(result.Batch.Subscriptions);
    }

    [Fact]
    public void Parse_HeaderInOtherCaseAndWithSpaces_FindsTheColumns()
    {
        var result = Parse(ImportKind.Orders, " ORDER_ID ,Customer_Id,  ordered_at\t,Amount\no1,c1,2025-01-01,5\n");

        Assert.Empty(result.Errors);
        Assert.Equal(new Order("o1", "c1", At(1, 1), 5m), Assert.Single(result.Batch.Orders));
    }

    [Fact]
    public void Parse_ColumnsInAnotherOrderWithExtraColumns_ReadsByName()
    {
        var result = Parse(ImportKind.Subscriptions, "note,mrr,customer_id,region,date\nhello,10,c1,eu,2025-01-01\n");

        Assert.Empty(result.Errors);
        Assert.Equal(new SubscriptionChange("c1", At(1, 1), 10m), Assert.Single(result.Batch.Subscriptions));
    }

    [Fact]
    public void Parse_CrlfLineEnds_ReadEveryRow()
    {
        var result = Parse(ImportKind.Subscriptions, "customer_id,date,mrr\r\nc1,2025-01-01,10\r\nc2,2025-01-02,20\r\n");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Batch.Subscriptions.Count);
    }

    [Fact]
    public void Parse_FieldsWithSurroundingSpaces_AreTrimmed()
    {
        var result = Parse(ImportKind.Customers, WithHeader(ImportKind.Customers, " c1 , Acme , smb , organic , 2025-01-01 , "));

        Assert.Empty(result.Errors);
        Assert.Equal(new Customer("c1", "Acme", "smb", "organic", At(1, 1), null), Assert.Single(result.Batch.Customers));
    }

    [Fact]
    public void Parse_QuotedCommentWithCommaQuoteAndNewline_IsOneField()
    {
        var result = Parse(ImportKind.Responses, WithHeader(ImportKind.Responses, "r1,nps,c1,6,\"Slow, but \"\"fine\"\"\nmostly\",2025-01-01"));

        Assert.Empty(result.Errors);
        Assert.Equal("Slow, but \"fine\"\nmostly", Assert.Single(result.Batch.Responses).Comment);
    }

    [Fact]
    public void Parse_BlankLines_AreSkippedAndNotCounted()
    {
        var result = Parse(ImportKind.Subscriptions, "customer_id,date,mrr\n\nc1,2025-01-01,10\n\n   \n\nc2,2025-01-02,20\n\n");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Rows);
        Assert.Equal(["c1", "c2"], result.Batch.Subscriptions.Select(s => s.CustomerId));
    }

    [Fact]
    public void Parse_LastRowWithoutLineEnd_IsRead()
    {
        var result = Parse(ImportKind.Subscriptions, "customer_id,date,mrr\nc1,2025-01-01,10");

        Assert.Empty(result.Errors);
        Assert.Single(result.Batch.Subscriptions);
    }

    [Fact]
    public void Parse_IdenticalDuplicateRow_IsNotAnError()
    {
        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,5", "o2,c1,2025-01-02,6", "o1,c1,2025-01-01,5"));

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Rows);
        Assert.All(result.Batch.Orders.Where(o => o.Id == "o1"), order => Assert.Equal(new Order("o1", "c1", At(1, 1), 5m), order));
    }

    [Theory]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,10", "c1,2025-01-01,10.00")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01,5", "o1,c1,2025-01-01,5.0")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,marketing,10", "2025-01-01,ads,marketing,10.0000")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,10.00001", "c1,2025-01-01,10")]
    public void Parse_SameKeySameAmountWithOtherDecimalPlaces_IsNotAnError(ImportKind kind, string first, string second)
    {
        var result = Parse(kind, WithHeader(kind, first, second));

        Assert.True(result.Errors.Count == 0, Describe(result.Errors));
    }

    [Theory]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-01-01,", "c1,Acme,smb,organic,2025-01-01T00:00:00Z,")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,10", "c1,2025-01-01T00:00:00Z,10")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01T00:00:00.500Z,5", "o1,c1,2025-01-01,5")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,marketing,10", "2025-01-01,ADS,Marketing,10")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,,0", "t1,c1,2025-01-01,,0")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,9,Nice,2025-01-01", "r1,NPS,c1,9,Nice,2025-01-01")]
    public void Parse_SameKeySameValuesWrittenDifferently_IsNotAnError(ImportKind kind, string first, string second)
    {
        var result = Parse(kind, WithHeader(kind, first, second));

        Assert.True(result.Errors.Count == 0, Describe(result.Errors));
        Assert.Equal(2, result.Rows);
    }

    [Fact]
    public void Parse_SameSubscriptionCustomerOnOtherDates_IsNotADuplicate()
    {
        var result = Parse(ImportKind.Subscriptions, WithHeader(ImportKind.Subscriptions, "c1,2025-01-01,10", "c1,2025-02-01,20", "c1,2025-01-01T12:00:00Z,30"));

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Batch.Subscriptions.Count);
    }

    [Fact]
    public void Parse_SpendSameDayAndChannelOtherCategory_IsNotADuplicate()
    {
        var result = Parse(ImportKind.Spend, WithHeader(ImportKind.Spend, "2025-01-01,ads,marketing,10", "2025-01-01,ads,sales,20", "2025-01-01,ads,onboarding,30"));

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Batch.Spend.Count);
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class ListProgress<T>(List<T> reports) : IProgress<T>
    {
        public void Report(T value) => reports.Add(value);
    }
}
