using GrowthBot.Formulas;
using static GrowthBot.Formulas.Tests.TestSupport;

namespace GrowthBot.Formulas.Tests;

/// <summary>
/// Properties of the starting base's revenue sums over deterministic random single-customer logs
/// (one <c>new Random(seed)</c> per log): whatever path a customer takes through the period, they
/// are judged by their MRR at <c>to</c> against their MRR at <c>from</c>, so GRR stays in 0..100%.
/// </summary>
public sealed class RevenueLedgerPropertyTests
{
    private const int LogCount = 400;

    private static readonly DateTime From = Day(3, 1);
    private static readonly DateTime To = Day(4, 1);

    /// <summary>MRR values drawn with repeats, zeros (churn, trials) and a negative credit row.</summary>
    private static readonly decimal[] Amounts = [0m, 0m, 0m, -10m, 50m, 80m, 100m, 100m, 120m, 300m, 999.99m];

    public static TheoryData<int> Seeds
    {
        get
        {
            var seeds = new TheoryData<int>();
            for (var seed = 0; seed < LogCount; seed++) seeds.Add(seed);
            return seeds;
        }
    }

    /// <summary>
    /// 0 to 8 rows of one customer between Jan 1 and early May, some exactly at <c>from</c> or
    /// <c>to</c>, in random order (the ledger sorts them), with odd amounts now and then.
    /// </summary>
    private static SubscriptionChange[] RandomCustomerLog(int seed, string customer = "a")
    {
        var random = new Random(seed);
        var rows = new SubscriptionChange[random.Next(0, 9)];
        for (var i = 0; i < rows.Length; i++)
        {
            var at = random.Next(10) switch
            {
                0 => From,
                1 => To,
                _ => Day(1, 1).AddHours(random.Next(0, 24 * 125)),
            };
            var mrr = random.Next(5) == 0 ? random.Next(1, 100_000) / 100m : Amounts[random.Next(Amounts.Length)];
            rows[i] = Row(customer, at, mrr);
        }
        return rows;
    }

    /// <summary>The customer's MRR (0 when not paying) after every row dated before <paramref name="at"/>.</summary>
    private static decimal MrrBefore(IEnumerable<SubscriptionChange> log, DateTime at) =>
        Math.Max(0m, log.OrderBy(change => change.At).LastOrDefault(change => change.At < at).Mrr);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomCustomer_GrossRevenueRetentionIsWithinZeroAndHundred(int seed)
    {
        var facts = RevenueLedger.Facts(RandomCustomerLog(seed), From, To);

        Assert.True(facts.BaseChurnedMrr >= 0m);
        Assert.True(facts.BaseContractionMrr >= 0m);
        Assert.True(facts.BaseExpansionMrr >= 0m);
        Assert.InRange(facts.BaseChurnedMrr + facts.BaseContractionMrr, 0m, facts.MrrAtFrom);

        var grr = RevenueFormulas.GrossRevenueRetention(facts);
        var grossChurn = RevenueFormulas.GrossRevenueChurn(facts);
        if (facts.MrrAtFrom > 0m)
        {
            Assert.NotNull(grr.Value);
            Assert.NotNull(grossChurn.Value);
            Assert.InRange(grr.Value.Value, 0m, 100m);
            Assert.InRange(grossChurn.Value.Value, 0m, 100m);
        }
        else
        {
            Assert.Null(grr.Value);
            Assert.Null(grossChurn.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomCustomer_BaseSumsAreStartAgainstEnd(int seed)
    {
        var log = RandomCustomerLog(seed);
        var facts = RevenueLedger.Facts(log, From, To);

        // The endpoint rule, worked independently of the ledger's walk: f at from, t at to.
        var f = MrrBefore(log, From);
        var t = MrrBefore(log, To);
        Assert.Equal(f, facts.MrrAtFrom);
        Assert.Equal(t, facts.MrrAtTo);
        Assert.Equal(f > 0m && t == 0m ? f : 0m, facts.BaseChurnedMrr);
        Assert.Equal(f > 0m && t > 0m && t < f ? f - t : 0m, facts.BaseContractionMrr);
        Assert.Equal(f > 0m && t > f ? t - f : 0m, facts.BaseExpansionMrr);
        // A customer lost at the end churned at least once on the way; the customer churn count stays by movement.
        if (f > 0m && t == 0m) Assert.Equal(1, facts.StartCustomersChurned);
        if (facts.StartCustomersChurned == 1) Assert.True(facts.Churns >= 1);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomCustomer_NetRevenueRetentionIsHundredPlusExistingGrowth(int seed)
    {
        var facts = RevenueLedger.Facts(RandomCustomerLog(seed), From, To);

        // The flow is still movement by movement and adds up to the MRR at to.
        Assert.Equal(
            facts.MrrAtTo,
            facts.MrrAtFrom + facts.NewMrr + facts.ExpansionMrr + facts.ReactivationMrr - facts.ContractionMrr - facts.ChurnedMrr);
        // The base's sums add up to the base's MRR at to.
        Assert.Equal(
            facts.StartCustomersMrrAtTo,
            facts.MrrAtFrom + facts.BaseExpansionMrr - facts.BaseContractionMrr - facts.BaseChurnedMrr);

        var nrr = RevenueFormulas.NetRevenueRetention(facts);
        var growth = RevenueFormulas.ExistingCustomerRevenueGrowth(facts);
        if (facts.MrrAtFrom == 0m)
        {
            Assert.Null(nrr.Value);
            Assert.Null(growth.Value);
            return;
        }
        Assert.NotNull(growth.Value);
        AssertValue(100m + growth.Value.Value, nrr);
        Assert.Equal(nrr.Numerator - nrr.Denominator, growth.Numerator);
    }

    [Fact]
    public void AllRandomCustomersTogether_KeepTheBounds()
    {
        // The same logs as one company of LogCount customers: the facts are the sum of the customers'
        // and GRR still lies within 0..100%.
        var logs = Enumerable.Range(0, LogCount).Select(seed => RandomCustomerLog(seed, $"c{seed}")).ToArray();
        var company = RevenueLedger.Facts(logs.SelectMany(log => log), From, To);
        var sum = logs
            .Select(log => RevenueLedger.CustomerFacts(log.OrderBy(change => change.At), From, To))
            .Aggregate(RevenueFacts.Empty, (total, facts) => total + facts);

        Assert.Equal(sum, company);
        Assert.True(company.MrrAtFrom > 0m);
        Assert.InRange(company.BaseChurnedMrr + company.BaseContractionMrr, 0m, company.MrrAtFrom);
        Assert.InRange(RevenueFormulas.GrossRevenueRetention(company).Value!.Value, 0m, 100m);
        Assert.InRange(RevenueFormulas.GrossRevenueChurn(company).Value!.Value, 0m, 100m);
        AssertValue(
            100m + RevenueFormulas.ExistingCustomerRevenueGrowth(company).Value!.Value,
            RevenueFormulas.NetRevenueRetention(company));
        // Enough of every path to mean something: some base customers churned, contracted and expanded,
        // and some who churned and came back are judged by where they ended.
        Assert.True(company.BaseChurnedMrr > 0m);
        Assert.True(company.BaseContractionMrr > 0m);
        Assert.True(company.BaseExpansionMrr > 0m);
        // Churned and still-paying starters are the whole starting base (back by the end is not churned).
        Assert.Equal(company.PayingAtFrom, company.StartCustomersChurned + company.StartCustomersPayingAtTo);
    }
}
