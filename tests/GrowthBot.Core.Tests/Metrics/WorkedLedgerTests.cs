using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// Hand-worked ledgers for the numbers a finance lead cross-checks (issue "numbers people can
/// trust"). January 2026 = [Jan 1, Feb 1):
/// <code>
///   Alba   1 000 since Dec 1; cancels Jan 10; back Jan 20 at 1 200.
///   Brook    500 since Dec 1; drops to 300 on Jan 15.
///   Cove     500 since Dec 1; cancels Jan 5.
///   Dune   signs up Jan 8 at 400; cancels Jan 25.
///   Eyre   1 000 since Dec 1; up to 1 500 on Jan 12, back to 1 000 on Jan 18.
///
///   Start: 4 paying, MRR 3 000.  Starting base at the end: Alba 1 200, Brook 300, Cove 0, Eyre 1 000 = 2 500.
///   Start against end: churned 500 (Cove), contraction 200 (Brook), expansion 200 (Alba).
///     3 000 − 500 − 200 + 200 = 2 500.   NRR 2 500 / 3 000 = 83.333%; net revenue churn 16.667%.
///     GRR (3 000 − 700) / 3 000 = 76.667%; gross revenue churn 23.333%.
///   Customers: Cove is the only starter not paying at the end (Alba came back): churn 1/4 = 25%, retention 3/4 = 75%.
///   Every movement (quick ratio): new 400 (Dune); expansion 500 (Eyre); reactivation 1 200 (Alba);
///     churned 1 000 (Alba) + 500 (Cove) + 400 (Dune) = 1 900; contraction 200 (Brook) + 500 (Eyre) = 700.
///     (400 + 500 + 1 200) ÷ (1 900 + 700) = 0.8077.
/// </code>
/// </summary>
public sealed class WorkedLedgerTests
{
    private static readonly DateTime Jan = Utc(2026, 1, 1);
    private static readonly DateTime Feb = Utc(2026, 2, 1);

    private static GrowthDataBatch January()
    {
        var batch = new GrowthDataBatch();
        foreach (var id in new[] { "alba", "brook", "cove", "dune", "eyre" }) batch.Customers.Add(new Customer(id, id, "SMB", "Ads", Utc(2025, 11, 1), null));
        batch.Subscriptions.AddRange(
        [
            new("alba", Utc(2025, 12, 1), 1_000m), new("alba", Utc(2026, 1, 10), 0m), new("alba", Utc(2026, 1, 20), 1_200m),
            new("brook", Utc(2025, 12, 1), 500m), new("brook", Utc(2026, 1, 15), 300m),
            new("cove", Utc(2025, 12, 1), 500m), new("cove", Utc(2026, 1, 5), 0m),
            new("dune", Utc(2026, 1, 8), 400m), new("dune", Utc(2026, 1, 25), 0m),
            new("eyre", Utc(2025, 12, 1), 1_000m), new("eyre", Utc(2026, 1, 12), 1_500m), new("eyre", Utc(2026, 1, 18), 1_000m),
        ]);
        return batch;
    }

    private static MetricEngine Engine(GrowthDataBatch batch, TimeZoneInfo? zone = null, DateTimeOffset? now = null)
    {
        var engine = new MetricEngine(new MetricEngineOptions(), zone, new FakeTimeProvider(now ?? new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero)));
        engine.Apply(batch);
        return engine;
    }

    private static MetricAnswer Ask(MetricEngine engine, MetricId metric, DateTime from, DateTime to, Breakdown by = Breakdown.None) =>
        engine.Answer(new MetricQuery(metric, from, to, by));

    [Fact]
    public void Answer_RevenueRetention_RebuildsExactlyFromTheMovementsShown()
    {
        using var engine = Engine(January());

        var nrr = Ask(engine, MetricId.Nrr, Jan, Feb);
        var grr = Ask(engine, MetricId.Grr, Jan, Feb);
        var net = Ask(engine, MetricId.NetRevenueChurn, Jan, Feb);
        var gross = Ask(engine, MetricId.GrossRevenueChurn, Jan, Feb);

        Assert.Equal(2_500m / 3_000m * 100m, nrr.Result.Value);
        Assert.Equal(100m, nrr.Result.Value + net.Result.Value);
        Assert.Equal(100m, grr.Result.Value + gross.Result.Value);
        Assert.Equal(700m / 3_000m * 100m, gross.Result.Value);
        // NRR rebuilt from the terms its explanation shows: (start − churned − contraction + expansion) ÷ start.
        var terms = nrr.Workings!.Terms.ToDictionary(term => term.Name, term => term.Value);
        Assert.Equal(3_000m, terms["MRR at the start"]);
        Assert.Equal(500m, terms["churned MRR"]);
        Assert.Equal(200m, terms["contraction MRR"]);
        Assert.Equal(200m, terms["expansion MRR"]);
        var rebuilt = (terms["MRR at the start"] - terms["churned MRR"] - terms["contraction MRR"] + terms["expansion MRR"]) / terms["MRR at the start"] * 100m;
        Assert.Equal(nrr.Result.Value, rebuilt);
        // The explanation states that formula with those numbers, and the same terms as net revenue churn.
        var text = MetricFormatter.Workings(nrr.Metric, nrr.Workings, nrr.Result.Value, "USD");
        Assert.Equal("Net revenue retention = (MRR at the start USD 3,000.00 − churned MRR USD 500.00 − contraction MRR USD 200.00 + expansion MRR USD 200.00) ÷ MRR at the start × 100 = 83.33%", text);
        Assert.Equal(
            nrr.Workings.Terms.Where(term => term.Name != "MRR at the start").Select(term => term.Value),
            net.Workings!.Terms.Where(term => term.Name != "MRR at the start").Select(term => term.Value));
        Assert.Contains("(churned MRR USD 500.00 + contraction MRR USD 200.00) ÷ MRR at the start USD 3,000.00 × 100 = 23.33%",
            MetricFormatter.Workings(gross.Metric, gross.Workings!, gross.Result.Value, "USD"), StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_QuickRatioAndExpansion_ShowEveryMovementAndSayWhyTheyDifferFromNrr()
    {
        using var engine = Engine(January());

        var quick = Ask(engine, MetricId.QuickRatio, Jan, Feb);
        var expansion = Ask(engine, MetricId.ExpansionRevenue, Jan, Feb);

        Assert.Equal(2_100m / 2_600m, quick.Result.Value);
        Assert.Equal("SaaS quick ratio = (new MRR USD 400.00 + expansion MRR USD 500.00 + reactivation MRR USD 1,200.00) ÷ (churned MRR USD 1,900.00 + contraction MRR USD 700.00) = 0.81×",
            MetricFormatter.Workings(quick.Metric, quick.Workings!, quick.Result.Value, "USD"));
        Assert.Equal(500m, expansion.Result.Value);
        foreach (var answer in new[] { quick, expansion })
        {
            Assert.Contains("compare each starting customer's MRR at the end with the start", answer.Workings!.Caveat, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Answer_CustomerBackByTheEnd_IsNotChurned_SoChurnPlusRetentionIsHundred()
    {
        using var engine = Engine(January());

        var churn = Ask(engine, MetricId.CustomerChurn, Jan, Feb).Result;
        var retention = Ask(engine, MetricId.Retention, Jan, Feb).Result;

        Assert.Equal(25m, churn.Value);
        Assert.Equal(75m, retention.Value);
        Assert.Equal(100m, churn.Value + retention.Value);
        // LTV uses that churn: ARPA 2 500 / 3 = 833.33 over a monthly churn of exactly 25% (January is one month).
        var ltv = Ask(engine, MetricId.Ltv, Jan, Feb).Result;
        Assert.Equal(2_500m / 3m / 0.25m, ltv.Value);
    }

    [Fact]
    public void Answer_OverAYear_RatesStayInRange_AndChurnPlusRetentionIsHundred()
    {
        // A small base and a big mid-year sign-up who leaves again: counted movement by movement,
        // its churn alone would be 100× the starting MRR.
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange(
        [
            new("small", Utc(2025, 12, 1), 100m), new("small", Utc(2026, 3, 1), 0m), new("small", Utc(2026, 5, 1), 90m),
            new("other", Utc(2025, 12, 1), 100m), new("other", Utc(2026, 7, 1), 0m),
            new("whale", Utc(2026, 4, 1), 10_000m), new("whale", Utc(2026, 9, 1), 0m),
        ]);
        using var engine = Engine(batch, now: new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero));
        var (from, to) = (Utc(2026, 1, 1), Utc(2027, 1, 1));

        var grr = Ask(engine, MetricId.Grr, from, to).Result.Value;
        var gross = Ask(engine, MetricId.GrossRevenueChurn, from, to).Result.Value;
        var nrr = Ask(engine, MetricId.Nrr, from, to).Result.Value;
        var churn = Ask(engine, MetricId.CustomerChurn, from, to).Result.Value;
        var retention = Ask(engine, MetricId.Retention, from, to).Result.Value;

        // Start 200; at the end small pays 90 (contraction 10), other 0 (churned 100): GRR 90 / 200 = 45%.
        Assert.Equal(45m, grr);
        Assert.Equal(55m, gross);
        Assert.Equal(45m, nrr);
        Assert.InRange(grr!.Value, 0m, 100m);
        Assert.Equal(50m, churn);
        Assert.Equal(100m, churn + retention);
    }

    [Fact]
    public void CalendarMonths_CountsMonthsOnTheCalendarOfTheZone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        Assert.Equal(1, Periods.CalendarMonths(Utc(2026, 3, 1), Utc(2026, 4, 1), TimeZoneInfo.Utc));
        Assert.Equal(1, Periods.CalendarMonths(Utc(2026, 2, 1), Utc(2026, 3, 1), TimeZoneInfo.Utc));
        Assert.Equal(3, Periods.CalendarMonths(Utc(2026, 4, 1), Utc(2026, 7, 1), TimeZoneInfo.Utc));
        // Berlin's March: Feb 28 23:00 UTC to Mar 31 22:00 UTC.
        Assert.Equal(1, Periods.CalendarMonths(new DateTime(2026, 2, 28, 23, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 31, 22, 0, 0, DateTimeKind.Utc), berlin));
        Assert.Equal(7d / 31d, Periods.CalendarMonths(Utc(2026, 3, 1), Utc(2026, 3, 8), TimeZoneInfo.Utc), 12);
    }

    [Fact]
    public void Answer_Ltv_TurnsAQuartersChurnIntoMonthlyOverThreeCalendarMonths()
    {
        // Q2 2026 (91 days): four paying at the start, one leaves in May: churn 25%; ARPA 300.
        var batch = new GrowthDataBatch();
        foreach (var id in new[] { "a", "b", "c", "d" }) batch.Subscriptions.Add(new(id, Utc(2026, 1, 1), 300m));
        batch.Subscriptions.Add(new("d", Utc(2026, 5, 10), 0m));
        using var engine = Engine(batch, now: new DateTimeOffset(2026, 7, 2, 0, 0, 0, TimeSpan.Zero));

        var ltv = Ask(engine, MetricId.Ltv, Utc(2026, 4, 1), Utc(2026, 7, 1));

        var monthly = 1 - Math.Pow(0.75, 1d / 3d);
        Assert.Equal(300d / monthly, (double)ltv.Result.Value!.Value, 6);
        Assert.Equal(3m, ltv.Workings!.Terms.Single(term => term.Name == "calendar months").Value);
    }

    [Fact]
    public void Answer_PeriodAfterTheBillingDataEnds_IsNoDataWithTheDateNotARealZero()
    {
        var batch = new GrowthDataBatch();
        batch.Subscriptions.AddRange([new("a", Utc(2026, 1, 1), 100m), new("b", Utc(2026, 2, 1), 200m), new("b", new DateTime(2026, 7, 14, 9, 0, 0, DateTimeKind.Utc), 250m)]);
        using var engine = Engine(batch, now: new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

        var churn = Ask(engine, MetricId.CustomerChurn, Utc(2026, 12, 1), new DateTime(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc));
        var nrr = Ask(engine, MetricId.Nrr, Utc(2026, 12, 1), Utc(2026, 12, 6));
        var mrr = Ask(engine, MetricId.Mrr, Utc(2026, 12, 1), Utc(2026, 12, 6));
        var july = Ask(engine, MetricId.CustomerChurn, Utc(2026, 7, 1), Utc(2026, 7, 18));

        Assert.Null(churn.Result.Value);
        Assert.Null(nrr.Result.Value);
        Assert.Equal(DataSource.Billing, churn.DataGap!.Source);
        Assert.Equal("billing data ends on Jul 14, 2026", churn.DataGap.Describe(TimeZoneInfo.Utc));
        Assert.Equal(new DateTime(2026, 7, 14, 9, 0, 0, DateTimeKind.Utc), engine.LastDataAt(DataSource.Billing));
        // MRR is a state that carries forward: it keeps its value, with the same warning.
        Assert.Equal(350m, mrr.Result.Value);
        Assert.NotNull(mrr.DataGap);
        // A period that ends within a week of the data is not stale.
        Assert.Null(july.DataGap);
        Assert.Equal(0m, july.Result.Value);
    }

    [Fact]
    public void Answer_EmptyStore_MrrIsNullNotZero()
    {
        using var engine = Engine(new GrowthDataBatch());

        Assert.Null(Ask(engine, MetricId.Mrr, Jan, Feb).Result.Value);
        Assert.Null(Ask(engine, MetricId.ExpansionRevenue, Jan, Feb).Result.Value);
        Assert.Null(engine.LastDataAt(DataSource.Billing));
    }

    [Fact]
    public void Answer_Activation_LeavesOutSignupsStillInsideTheirWindow_AndSaysSo()
    {
        // Now Dec 10. Nov 16 activated Nov 20 (window closed Nov 30): success. Nov 18 never (closed
        // Dec 2): failure. Dec 1 and Dec 5 not yet, windows close Dec 15 and Dec 19: left out.
        var batch = new GrowthDataBatch();
        batch.Customers.AddRange(
        [
            new Customer("n16", "", "SMB", "Ads", Utc(2026, 11, 16), Utc(2026, 11, 20)),
            new Customer("n18", "", "SMB", "Ads", Utc(2026, 11, 18), null),
            new Customer("d01", "", "SMB", "Ads", Utc(2026, 12, 1), null),
            new Customer("d05", "", "SMB", "Ads", Utc(2026, 12, 5), null),
        ]);
        using var engine = Engine(batch, now: new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero));

        var answer = Ask(engine, MetricId.Activation, Utc(2026, 11, 15), Utc(2026, 12, 10));

        Assert.Equal(50m, answer.Result.Value);
        Assert.Equal(2, answer.Result.SampleSize);
        Assert.Contains("2 sign-ups are left out: still inside the 14-day activation window", Assert.Single(answer.Notes), StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_RepeatPurchase_CountsBuyersWhoHadBoughtBefore()
    {
        // February: x bought in January and again in February (returning); w likewise; y bought
        // twice in February for the first time (not yet a repeat buyer); z once. 2 of 4 = 50%.
        var batch = new GrowthDataBatch();
        batch.Orders.AddRange(
        [
            new Order("o1", "x", Utc(2026, 1, 5), 10m), new Order("o2", "x", Utc(2026, 2, 10), 10m),
            new Order("o3", "w", Utc(2026, 1, 2), 10m), new Order("o4", "w", Utc(2026, 2, 8), 10m),
            new Order("o5", "y", Utc(2026, 2, 3), 10m), new Order("o6", "y", Utc(2026, 2, 20), 10m),
            new Order("o7", "z", Utc(2026, 2, 15), 10m),
        ]);
        using var engine = Engine(batch, now: new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero));

        var answer = Ask(engine, MetricId.RepeatPurchase, Feb, Utc(2026, 3, 1));

        Assert.Equal(50m, answer.Result.Value);
        Assert.Equal(4, answer.Result.SampleSize);
    }

    [Fact]
    public void Answer_CacByChannel_ShowsSpendWithoutNewCustomers_AndNeverZeroForUnknown()
    {
        // Ads: 1 000 for two new customers (500 each). TV: 2 000, nobody new. A third new customer
        // has no customer row, so no channel: "(unknown)", with no spend recorded against it.
        var batch = new GrowthDataBatch();
        batch.Customers.AddRange([new Customer("a1", "", "SMB", "Ads", Utc(2026, 1, 3), null), new Customer("a2", "", "SMB", "Ads", Utc(2026, 1, 4), null)]);
        batch.Subscriptions.AddRange([new("a1", Utc(2026, 1, 3), 50m), new("a2", Utc(2026, 1, 4), 50m), new("ghost", Utc(2026, 1, 6), 50m)]);
        batch.Spend.AddRange([new SpendEntry(Utc(2026, 1, 2), "Ads", SpendCategory.Marketing, 1_000m), new SpendEntry(Utc(2026, 1, 2), "TV", SpendCategory.Marketing, 2_000m)]);
        using var engine = Engine(batch);

        var answer = Ask(engine, MetricId.Cac, Jan, Feb, Breakdown.Channel);

        var groups = answer.Groups!.ToDictionary(group => group.Name, group => group.Result);
        Assert.Equal(500m, groups["Ads"].Value);
        Assert.Null(groups["TV"].Value);
        Assert.Equal(2_000m, groups["TV"].Numerator);
        Assert.Null(groups["(unknown)"].Value);
        Assert.Equal(1_000m, answer.Result.Value); // 3 000 of spend over 3 new customers
    }

    [Fact]
    public void Catalog_ExistingCustomerRevenueGrowth_BelongsToMarketingSalesAndService() =>
        Assert.Equal([Team.Marketing, Team.Sales, Team.Service], MetricCatalog.Get(MetricId.ExistingRevenueGrowth).DefaultTeams);

    /// <summary>
    /// The counts of the January ledger: paying at Feb 1 are Alba (back at 1 200), Brook and Eyre = 3 (4 at Jan 1);
    /// new in January is Dune alone (Alba's return is a reactivation), 4 in December (everyone started Dec 1);
    /// churned in January is Cove alone — Alba was back by the end, Dune joined mid-month — which is exactly
    /// the churn rate's 1 of 4.
    /// </summary>
    [Fact]
    public void Answer_CustomerCounts_AgreeWithTheChurnRatesNumeratorAndDenominator()
    {
        using var engine = Engine(January());

        var paying = Ask(engine, MetricId.PayingCustomers, Jan, Feb);
        var payingBefore = Ask(engine, MetricId.PayingCustomers, Utc(2025, 12, 1), Jan);
        var joined = Ask(engine, MetricId.NewCustomers, Jan, Feb);
        var joinedInDecember = Ask(engine, MetricId.NewCustomers, Utc(2025, 12, 1), Jan);
        var churned = Ask(engine, MetricId.ChurnedCustomers, Jan, Feb);
        var churn = Ask(engine, MetricId.CustomerChurn, Jan, Feb);
        var arpa = Ask(engine, MetricId.Arpa, Jan, Feb);
        var cac = Ask(engine, MetricId.Cac, Jan, Feb);

        Assert.Equal(3m, paying.Result.Value);
        Assert.Equal(4m, payingBefore.Result.Value);
        Assert.Equal(1m, joined.Result.Value);
        Assert.Equal(4m, joinedInDecember.Result.Value);
        Assert.Equal(1m, churned.Result.Value);
        Assert.Equal(churn.Result.Numerator, churned.Result.Value);
        Assert.Equal(churn.Result.Denominator, churned.Result.Denominator);
        Assert.Equal(arpa.Result.Denominator, paying.Result.Value);
        Assert.Equal(cac.Result.Denominator, joined.Result.Value);
        Assert.Equal("3", MetricFormatter.Value(paying.Metric, paying.Result.Value, "USD"));
        Assert.Equal("−1 (−25%)", MetricFormatter.Change(paying.Metric, 3m, 4m, "USD"));
        Assert.Equal("Churned customers = customers paying at the start 4 − of them paying at the end 3 = 1",
            MetricFormatter.Workings(churned.Metric, churned.Workings!, churned.Result.Value, "USD"));
    }

    [Fact]
    public void Answer_CustomerCountsBySegment_AddUpToTheTotal()
    {
        var batch = January();
        batch.Customers[2] = batch.Customers[2] with { Segment = "Enterprise" }; // Cove
        batch.Customers[0] = batch.Customers[0] with { Segment = "Enterprise" }; // Alba
        using var engine = Engine(batch);

        var paying = Ask(engine, MetricId.PayingCustomers, Jan, Feb, Breakdown.Segment);
        var churned = Ask(engine, MetricId.ChurnedCustomers, Jan, Feb, Breakdown.Segment);
        var joined = Ask(engine, MetricId.NewCustomers, Jan, Feb, Breakdown.Segment);

        Assert.Equal([("Enterprise", 1m), ("SMB", 2m)], paying.Groups!.Select(group => (group.Name, group.Result.Value!.Value)));
        Assert.Equal([("Enterprise", 1m), ("SMB", 0m)], churned.Groups!.Select(group => (group.Name, group.Result.Value!.Value)));
        Assert.Equal(2m, churned.Groups!.Single(group => group.Name == "Enterprise").Result.Denominator);
        Assert.Equal([("SMB", 1m)], joined.Groups!.Where(group => group.Result.Value != 0m).Select(group => (group.Name, group.Result.Value!.Value)));
    }

    [Fact]
    public void Answer_PayingCustomersAfterTheBillingDataEnds_CarriesForwardLikeMrr_ButNewAndChurnedAreNoData()
    {
        using var engine = Engine(January(), now: new DateTimeOffset(2026, 6, 10, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(3m, Ask(engine, MetricId.PayingCustomers, Utc(2026, 5, 1), Utc(2026, 6, 1)).Result.Value);
        Assert.Null(Ask(engine, MetricId.NewCustomers, Utc(2026, 5, 1), Utc(2026, 6, 1)).Result.Value);
        Assert.Null(Ask(engine, MetricId.ChurnedCustomers, Utc(2026, 5, 1), Utc(2026, 6, 1)).Result.Value);
    }

    private static DateTime Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Utc);
}
