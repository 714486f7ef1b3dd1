using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Import;

/// <summary>Imports that keep the company's dates, exact ids, every spend line and sane amounts.</summary>
public sealed class CompanyDataImportTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static ImportParseResult Parse(ImportKind kind, string csv, TimeZoneInfo? zone = null)
    {
        using var reader = new StringReader(csv);
        return CsvImportParser.Parse(kind, reader, null, zone);
    }

    [Fact]
    public void Parse_DateWithoutTime_IsThatDayInTheCompanysZone_OffsetsKeepTheirInstant()
    {
        var result = Parse(ImportKind.Subscriptions, """
            customer_id,date,mrr
            a,2026-03-01,100
            b,2026-03-01T00:00:00Z,100
            c,2026-03-01T00:00:00+01:00,100
            d,2026-03-01T09:30:00,100
            """, NewYork);

        Assert.Empty(result.Errors);
        var at = result.Batch.Subscriptions.ToDictionary(change => change.CustomerId, change => change.At);
        Assert.Equal(new DateTime(2026, 3, 1, 5, 0, 0, DateTimeKind.Utc), at["a"]);   // midnight in New York (EST, −5)
        Assert.Equal(new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), at["b"]);
        Assert.Equal(new DateTime(2026, 2, 28, 23, 0, 0, DateTimeKind.Utc), at["c"]);
        Assert.Equal(new DateTime(2026, 3, 1, 14, 30, 0, DateTimeKind.Utc), at["d"]);
    }

    [Fact]
    public void Import_RowsDatedTheFirst_StayInTheirMonthForANewYorkCompany()
    {
        // Four customers since January; one cancels "2026-03-01". New York's February [Feb 1 05:00Z,
        // Mar 1 05:00Z) has no churn; taken as UTC midnight, the cancellation would land in it (25%).
        var parsed = Parse(ImportKind.Subscriptions, """
            customer_id,date,mrr
            a,2026-01-01,100
            b,2026-01-01,100
            c,2026-01-01,100
            d,2026-01-01,100
            d,2026-03-01,0
            """, NewYork);
        using var engine = new MetricEngine(new MetricEngineOptions(), NewYork, new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero)));
        engine.Apply(parsed.Batch);
        var february = (From: new DateTime(2026, 2, 1, 5, 0, 0, DateTimeKind.Utc), To: new DateTime(2026, 3, 1, 5, 0, 0, DateTimeKind.Utc));

        var churn = engine.Answer(new MetricQuery(MetricId.CustomerChurn, february.From, february.To)).Result;

        Assert.Equal(0m, churn.Value);
    }

    [Fact]
    public void Parse_IdsDifferingOnlyInCase_AreRefusedNamingBothLines()
    {
        var customers = Parse(ImportKind.Customers, """
            customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
            acme,Acme,smb,ads,2026-01-01,
            ACME,Acme Corp,smb,ads,2026-01-01,
            """);
        var orders = Parse(ImportKind.Orders, """
            order_id,customer_id,ordered_at,amount
            o-1,acme,2026-01-01,10
            O-1,acme,2026-01-02,20
            """);

        var error = Assert.Single(customers.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("customer_id 'ACME' differs from 'acme' on line 2 only in case", error.Reason, StringComparison.Ordinal);
        Assert.Contains("order_id 'O-1' differs from 'o-1' on line 2 only in case", Assert.Single(orders.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SpendWithSpendIds_KeepsTwoEqualInvoicesOnOneDay()
    {
        var result = Parse(ImportKind.Spend, """
            spend_id,date,channel,category,amount
            inv-1,2026-01-05,tv,marketing,500
            inv-2,2026-01-05,tv,marketing,500
            """);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
        Assert.Equal(1_000m, result.Batch.Spend.Sum(spend => spend.Amount));
        Assert.Equal(["inv-1", "inv-2"], result.Batch.Spend.Select(spend => spend.Id));
    }

    [Fact]
    public void Parse_SpendWithoutIds_WarnsWhenTwoRowsShareTheirKey()
    {
        var result = Parse(ImportKind.Spend, """
            date,channel,category,amount
            2026-01-05,tv,marketing,500
            2026-01-05,tv,marketing,500
            """);

        Assert.Empty(result.Errors);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(3, warning.Line);
        Assert.Contains("repeats line 2 and counts once", warning.Reason, StringComparison.Ordinal);
        Assert.Contains("spend_id", warning.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AmountsThatCouldOverflowTotals_AreRefusedWithTheirLine()
    {
        var result = Parse(ImportKind.Subscriptions, """
            customer_id,date,mrr
            a,2026-01-01,999999999.99
            b,2026-01-01,1000000000
            c,2026-01-01,920000000000000
            """);

        Assert.Equal([3L, 4L], result.Errors.Select(error => error.Line));
        Assert.All(result.Errors, error => Assert.Contains("is too large (amounts must be below 1,000,000,000)", error.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Engine_ManyAmountsAtTheLimit_SumWithoutWrapping()
    {
        // 2 000 customers at just under the limit: 1.99999999998×10¹², far beyond a 32-bit or wrapped total.
        var batch = new Data.GrowthDataBatch();
        for (var i = 0; i < 2_000; i++) batch.Subscriptions.Add(new Formulas.SubscriptionChange($"c{i}", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 999_999_999.99m));
        using var engine = new MetricEngine(new MetricEngineOptions(), null, new FakeTimeProvider(new DateTimeOffset(2026, 1, 20, 0, 0, 0, TimeSpan.Zero)));
        engine.Apply(batch);

        var mrr = engine.Answer(new MetricQuery(MetricId.Mrr, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc))).Result;

        Assert.Equal(1_999_999_999_980m, mrr.Value);
    }
}
