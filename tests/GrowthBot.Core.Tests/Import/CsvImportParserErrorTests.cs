using GrowthBot.Core.Import;
using static GrowthBot.Core.Tests.Import.ImportFixtures;

namespace GrowthBot.Core.Tests.Import;

/// <summary>Bad files: every bad row is reported with its line (1 = the header) and a reason naming the column; nothing of a bad file reaches the batch's caller as good.</summary>
public sealed class CsvImportParserErrorTests
{
    /// <summary>A good row on line 2, then <paramref name="badRow"/> on line 3.</summary>
    private static ImportError SingleErrorFor(ImportKind kind, string badRow)
    {
        var result = Parse(kind, WithHeader(kind, GoodRow(kind), badRow));
        return Assert.Single(result.Errors);
    }

    [Theory]
    // Dates
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-13-01,", "signed_up_at", "'2025-13-01' is not an ISO-8601 date")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,01/03/2025,", "signed_up_at", "is not an ISO-8601 date")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-02-30,", "signed_up_at", "is not an ISO-8601 date")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,yesterday,", "signed_up_at", "is not an ISO-8601 date")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-01-01,soon", "activated_at", "'soon' is not an ISO-8601 date")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,,", "signed_up_at", "signed_up_at is empty")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,1999-12-31,", "signed_up_at", "outside the supported years")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2000-01-01T01:00:00+02:00,", "signed_up_at", "outside the supported years")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2068-01-01,", "signed_up_at", "outside the supported years")]
    [InlineData(ImportKind.Orders, "o1,c1,1970-01-01T00:00:00Z,5", "ordered_at", "outside the supported years")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-01-02,2025-01-01", "activated_at", "activated_at is before signed_up_at")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-01-01T10:00:00Z,2025-01-01T09:59:59Z", "activated_at", "before signed_up_at")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-10,2025-01-09,1", "resolved_at", "resolved_at is before opened_at")]
    [InlineData(ImportKind.Tickets, "t1,c1,,2025-01-09,1", "opened_at", "opened_at is empty")]
    [InlineData(ImportKind.Subscriptions, "c1,2025/01/01,10", "date", "'2025/01/01' is not an ISO-8601 date")]
    [InlineData(ImportKind.Spend, "1 Jan 2025,ads,marketing,10", "date", "is not an ISO-8601 date")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,9,,", "responded_at", "responded_at is empty")]
    // Amounts
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,-5", "mrr", "mrr -5 is negative")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,abc", "mrr", "'abc' is not a number")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,\"12,50\"", "mrr", "'12,50' is not a number")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,$12", "mrr", "'$12' is not a number")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,", "mrr", "mrr is empty")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01,-0.01", "amount", "amount -0.01 is negative")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01,1e3", "amount", "'1e3' is not a number")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01,1000000000000", "amount", "is too large")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,marketing,-100", "amount", "amount -100 is negative")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,marketing,ten", "amount", "'ten' is not a number")]
    // Ids and required text
    [InlineData(ImportKind.Customers, ",Acme,smb,organic,2025-01-01,", "customer_id", "customer_id is empty")]
    [InlineData(ImportKind.Customers, "  ,Acme,smb,organic,2025-01-01,", "customer_id", "customer_id is empty")]
    [InlineData(ImportKind.Customers, "c1,Acme,,organic,2025-01-01,", "segment", "segment is empty")]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,,2025-01-01,", "acquisition_channel", "acquisition_channel is empty")]
    [InlineData(ImportKind.Subscriptions, ",2025-01-01,10", "customer_id", "customer_id is empty")]
    [InlineData(ImportKind.Orders, ",c1,2025-01-01,5", "order_id", "order_id is empty")]
    [InlineData(ImportKind.Orders, "o1,,2025-01-01,5", "customer_id", "customer_id is empty")]
    [InlineData(ImportKind.Spend, "2025-01-01,,marketing,10", "channel", "channel is empty")]
    [InlineData(ImportKind.Tickets, ",c1,2025-01-01,,0", "ticket_id", "ticket_id is empty")]
    [InlineData(ImportKind.Responses, ",nps,c1,9,,2025-01-01", "response_id", "response_id is empty")]
    [InlineData(ImportKind.Responses, "r1,nps,,9,,2025-01-01", "customer_id", "customer_id is empty")]
    // Spend categories
    [InlineData(ImportKind.Spend, "2025-01-01,ads,advertising,10", "category", "category 'advertising' is not one of marketing, sales, onboarding")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,1,10", "category", "category '1' is not one of")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,,10", "category", "category is empty")]
    // Surveys and their scales
    [InlineData(ImportKind.Responses, "r1,nsp,c1,9,,2025-01-01", "survey", "survey 'nsp' is not one of nps, ces, csat")]
    [InlineData(ImportKind.Responses, "r1,2,c1,3,,2025-01-01", "survey", "survey '2' is not one of")]
    [InlineData(ImportKind.Responses, "r1,,c1,9,,2025-01-01", "survey", "survey is empty")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,11,,2025-01-01", "score", "score 11 is out of range (0–10)")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,-1,,2025-01-01", "score", "score -1 is out of range (0–10)")]
    [InlineData(ImportKind.Responses, "r1,ces,c1,0,,2025-01-01", "score", "score 0 is out of range (1–7)")]
    [InlineData(ImportKind.Responses, "r1,ces,c1,8,,2025-01-01", "score", "score 8 is out of range (1–7)")]
    [InlineData(ImportKind.Responses, "r1,csat,c1,6,,2025-01-01", "score", "score 6 is out of range (1–5)")]
    [InlineData(ImportKind.Responses, "r1,csat,c1,0,,2025-01-01", "score", "score 0 is out of range (1–5)")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,9.5,,2025-01-01", "score", "'9.5' is not a whole number")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,,,2025-01-01", "score", "score is empty")]
    // Contacts
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,2025-01-02,1.5", "contacts", "contacts '1.5' is not a whole number")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,2025-01-02,two", "contacts", "contacts 'two' is not a whole number")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,2025-01-02,-1", "contacts", "contacts -1 is out of range")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,2025-01-02,", "contacts", "contacts is empty")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,2025-01-02,0", "contacts", "contacts is 0 for a resolved ticket")]
    public void Parse_BadRow_ReportsItsLineAndAReasonNamingTheColumn(ImportKind kind, string badRow, string column, string reason)
    {
        var error = SingleErrorFor(kind, badRow);

        Assert.Equal(3, error.Line);
        Assert.Contains(column, error.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith("line 3: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-13-01,")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,-5")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01,abc")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,advertising,10")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-10,2025-01-09,1")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,11,,2025-01-01")]
    public void Parse_BadRow_IsLeftOutOfTheBatch(ImportKind kind, string badRow)
    {
        var result = Parse(kind, WithHeader(kind, GoodRow(kind), badRow));

        Assert.Single(result.Errors);
        Assert.Equal(2, result.Rows);
        Assert.Equal(1, result.Batch.Count);
    }

    [Fact]
    public void Parse_RowWithSeveralProblems_ListsThemAllOnOneLine()
    {
        var error = SingleErrorFor(ImportKind.Orders, ",c1,someday,-3");

        Assert.Contains("order_id is empty", error.Reason, StringComparison.Ordinal);
        Assert.Contains("ordered_at 'someday'", error.Reason, StringComparison.Ordinal);
        Assert.Contains("amount -3 is negative", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RowWithTooFewFields_ReportsTheMissingValues()
    {
        var error = SingleErrorFor(ImportKind.Orders, "o1,c1");

        Assert.Contains("ordered_at is empty", error.Reason, StringComparison.Ordinal);
        Assert.Contains("amount is empty", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralBadRows_ReportsEachWithItsOwnLine()
    {
        var result = Parse(ImportKind.Subscriptions, WithHeader(ImportKind.Subscriptions,
            "c1,2025-01-01,10", "c2,2025-01-01,-1", "c3,2025-01-01,10", "c4,nope,10", "c5,2025-01-01,x"));

        Assert.Equal([3L, 5L, 6L], result.Errors.Select(e => e.Line));
        Assert.Contains("mrr", result.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("date", result.Errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("mrr", result.Errors[2].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadRowAfterAQuotedFieldWithNewlines_CountsPhysicalLines()
    {
        var result = Parse(ImportKind.Responses, WithHeader(ImportKind.Responses,
            "r1,nps,c1,9,\"line one\nline two\nline three\",2025-01-01",
            "r2,nps,c1,12,,2025-01-01"));

        Assert.Equal(5, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void Parse_BadRowAfterBlankLines_CountsTheBlankLines()
    {
        var result = Parse(ImportKind.Subscriptions, "customer_id,date,mrr\n\nc1,2025-01-01,10\n\n\nc2,2025-01-01,-1\n");

        Assert.Equal(6, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void Parse_BadRowAfterAWhitespaceOnlyLine_CountsIt()
    {
        var result = Parse(ImportKind.Subscriptions, "customer_id,date,mrr\n   \nc2,2025-01-01,-1\n");

        Assert.Equal(3, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void Parse_BadRowWithCrlfLineEnds_ReportsItsLine()
    {
        var result = Parse(ImportKind.Subscriptions, "customer_id,date,mrr\r\nc1,2025-01-01,10\r\nc2,2025-01-01,-1\r\n");

        Assert.Equal(3, Assert.Single(result.Errors).Line);
    }

    // ---- Header -----------------------------------------------------------------------------

    [Fact]
    public void Parse_HeaderMissingAColumn_FailsOnLineOneNamingIt()
    {
        var result = Parse(ImportKind.Customers, "customer_id,name,segment,acquisition_channel,signed_up_at\nc1,Acme,smb,organic,2025-01-01\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("missing column activated_at", error.Reason, StringComparison.Ordinal);
        Assert.Contains("customer_id,name,segment,acquisition_channel,signed_up_at,activated_at", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, result.Rows);
        Assert.Equal(0, result.Batch.Count);
    }

    [Fact]
    public void Parse_HeaderMissingSeveralColumns_ListsThemAll()
    {
        var error = Assert.Single(Parse(ImportKind.Tickets, "ticket_id,customer_id,contacts\nt1,c1,1\n").Errors);

        Assert.Equal(1, error.Line);
        Assert.Contains("missing columns opened_at, resolved_at", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileOfAnotherKind_FailsOnTheHeader()
    {
        var error = Assert.Single(Parse(ImportKind.Orders, WithHeader(ImportKind.Subscriptions, GoodRow(ImportKind.Subscriptions))).Errors);

        Assert.Equal(1, error.Line);
        Assert.Contains("order_id", error.Reason, StringComparison.Ordinal);
        Assert.Contains("orders", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Parse_EmptyFile_FailsOnLineOneAskingForTheHeader(string csv)
    {
        var result = Parse(ImportKind.Spend, csv);

        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("empty", error.Reason, StringComparison.Ordinal);
        Assert.Contains("date,channel,category,amount", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, result.Rows);
    }

    // ---- Duplicate keys in one file -------------------------------------------------------------

    [Theory]
    [InlineData(ImportKind.Customers, "c1,Acme,smb,organic,2025-01-01,", "c1,Acme,enterprise,organic,2025-01-01,", "customer c1")]
    [InlineData(ImportKind.Subscriptions, "c1,2025-01-01,10", "c1,2025-01-01T00:00:00Z,20", "customer c1 on 2025-01-01")]
    [InlineData(ImportKind.Orders, "o1,c1,2025-01-01,5", "o1,c1,2025-01-01,6", "order o1")]
    [InlineData(ImportKind.Spend, "2025-01-01,ads,marketing,10", "2025-01-01,Ads,MARKETING,11", "spend on 2025-01-01 for ads/marketing")]
    [InlineData(ImportKind.Tickets, "t1,c1,2025-01-01,,0", "t1,c1,2025-01-01,2025-01-02,1", "ticket t1")]
    [InlineData(ImportKind.Responses, "r1,nps,c1,9,,2025-01-01", "r1,nps,c1,9,Changed my mind,2025-01-01", "response r1")]
    public void Parse_SameKeyWithDifferentValues_FailsNamingTheEarlierLine(ImportKind kind, string first, string second, string key)
    {
        var result = Parse(kind, WithHeader(kind, first, GoodRow(kind), second));

        var error = Assert.Single(result.Errors);
        Assert.Equal(4, error.Line);
        Assert.Contains(key, error.Reason, StringComparison.Ordinal);
        Assert.Contains("also appears on line 2 with different values", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameKeyThreeTimes_NamesTheFirstLineEachTime()
    {
        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,5", "o1,c1,2025-01-01,6", "o1,c1,2025-01-01,7"));

        Assert.Equal([3L, 4L], result.Errors.Select(e => e.Line));
        Assert.All(result.Errors, error => Assert.Contains("line 2", error.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BadRowThenSameKey_DoesNotTreatTheBadRowAsTheEarlierOne()
    {
        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,-5", "o1,c1,2025-01-01,6"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
    }

    // ---- Error limit ----------------------------------------------------------------------------

    [Fact]
    public void Parse_MoreBadRowsThanTheLimit_StopsWithAFinalNote()
    {
        var rows = Enumerable.Range(1, CsvImportParser.MaxErrors + 20).Select(i => $"o{i},c1,2025-01-01,-{i}").ToArray();

        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, rows));

        Assert.Equal(CsvImportParser.MaxErrors + 1, result.Errors.Count);
        Assert.Equal(Enumerable.Range(2, CsvImportParser.MaxErrors).Select(line => (long)line), result.Errors.Take(CsvImportParser.MaxErrors).Select(e => e.Line));
        Assert.All(result.Errors.Take(CsvImportParser.MaxErrors), error => Assert.Contains("amount", error.Reason, StringComparison.Ordinal));
        var note = result.Errors[^1];
        Assert.Equal(CsvImportParser.MaxErrors + 1, note.Line);
        Assert.Contains($"stopped after {CsvImportParser.MaxErrors} bad rows", note.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExactlyTheLimitOfBadRows_StillAddsTheNote()
    {
        var rows = Enumerable.Range(1, CsvImportParser.MaxErrors).Select(i => $"o{i},c1,2025-01-01,-{i}").ToArray();

        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, rows));

        Assert.Equal(CsvImportParser.MaxErrors + 1, result.Errors.Count);
        Assert.Contains("stopped after", result.Errors[^1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OneBadRowFewerThanTheLimit_HasNoNote()
    {
        var rows = Enumerable.Range(1, CsvImportParser.MaxErrors - 1).Select(i => $"o{i},c1,2025-01-01,-{i}").ToArray();

        var result = Parse(ImportKind.Orders, WithHeader(ImportKind.Orders, rows));

        Assert.Equal(CsvImportParser.MaxErrors - 1, result.Errors.Count);
        Assert.DoesNotContain(result.Errors, error => error.Reason.Contains("stopped", StringComparison.Ordinal));
    }
}
