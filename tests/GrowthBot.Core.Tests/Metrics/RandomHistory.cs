using GrowthBot.Core.Data;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// Small random histories with every awkward case in them: customers who never pay, trials at
/// 0, mid-period sign-ups who churn, win-backs, repeated values, rows for customers the
/// customers file doesn't know. Deterministic per seed.
/// </summary>
internal static class RandomHistory
{
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly string[] Segments = ["SMB", "Mid-Market", "Enterprise"];
    public static readonly string[] Channels = ["organic", "paid", "referral"];

    public static GrowthDataBatch Generate(int seed, int customers = 120)
    {
        var random = new Random(seed);
        var batch = new GrowthDataBatch();
        for (var c = 0; c < customers; c++)
        {
            var id = $"c{c}";
            var signedUp = Start.AddHours(random.Next(0, 24 * 365));
            DateTime? activated = random.NextDouble() < 0.7 ? signedUp.AddHours(random.Next(0, 24 * 30)) : null;
            if (c % 17 != 0) batch.Customers.Add(new Customer(id, $"Customer {c}", Segments[random.Next(3)], Channels[random.Next(3)], signedUp, activated));

            var moment = signedUp;
            var changes = random.Next(0, 9);
            for (var i = 0; i < changes; i++)
            {
                moment = moment.AddHours(random.Next(1, 24 * 70));
                var mrr = random.NextDouble() switch
                {
                    < 0.25 => 0m,
                    < 0.3 => batch.Subscriptions.LastOrDefault(change => change.CustomerId == id).Mrr,
                    _ => random.Next(1, 50) * 10m,
                };
                batch.Subscriptions.Add(new SubscriptionChange(id, moment, mrr));
            }

            for (var i = random.Next(0, 4); i > 0; i--)
            {
                batch.Orders.Add(new Order($"o{c}-{i}", id, signedUp.AddHours(random.Next(0, 24 * 400)), random.Next(5, 500)));
            }
            for (var i = random.Next(0, 3); i > 0; i--)
            {
                var opened = signedUp.AddHours(random.Next(0, 24 * 400));
                DateTime? resolved = random.NextDouble() < 0.85 ? opened.AddHours(random.Next(1, 200)) : null;
                batch.Tickets.Add(new Ticket($"t{c}-{i}", id, opened, resolved, random.Next(1, 4)));
            }
            for (var i = random.Next(0, 4); i > 0; i--)
            {
                var survey = (SurveyKind)random.Next(3);
                var (min, max) = SurveyScales.Of(survey);
                batch.Responses.Add(new SurveyResponse($"r{c}-{i}", survey, id, random.Next(min, max + 1), null, signedUp.AddHours(random.Next(0, 24 * 400))));
            }
        }
        for (var day = 0; day < 450; day += 3)
        {
            foreach (var channel in Channels)
            {
                batch.Spend.Add(new SpendEntry(Start.AddDays(day), channel, (SpendCategory)(day % 3), random.Next(10, 1000)));
            }
        }
        return batch;
    }

    /// <summary>A spread of periods: months, quarters, odd spans, empty and far-future ones.</summary>
    public static IEnumerable<(DateTime From, DateTime To)> Periods()
    {
        for (var month = 0; month < 16; month += 1) yield return (Start.AddMonths(month), Start.AddMonths(month + 1));
        for (var quarter = 0; quarter < 5; quarter++) yield return (Start.AddMonths(3 * quarter), Start.AddMonths(3 * (quarter + 1)));
        yield return (Start.AddDays(17).AddHours(5), Start.AddDays(190).AddHours(3));
        yield return (Start.AddYears(-2), Start.AddYears(-1));
        yield return (Start.AddYears(5), Start.AddYears(6));
        yield return (Start.AddYears(-1), Start.AddYears(3));
    }
}
