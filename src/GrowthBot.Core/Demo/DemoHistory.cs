using GrowthBot.Core.Data;
using GrowthBot.Formulas;
using static GrowthBot.Core.Demo.DemoVocabulary;

namespace GrowthBot.Core.Demo;

/// <summary>
/// Generates a deterministic, plausible history for a SaaS company: sign-ups with seasonality
/// and growth, activation, conversion to paid, plan changes, churn and win-backs by segment,
/// acquisition spend per channel, add-on orders, support tickets, and NPS/CES/CSAT answers whose
/// scores follow what happened to the customer. Same options, same rows.
/// </summary>
public static class DemoHistory
{
    public static GrowthDataBatch Generate(DemoHistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var batch = new GrowthDataBatch();
        var end = TruncateToSecond(options.End);
        var start = new DateTime(end.Year, end.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(-options.Months);
        var days = (int)(end - start).TotalDays;
        if (days <= 0) return batch;

        var meanPerDay = options.Customers / (double)days;
        var customerNumber = 0;
        var ticketNumber = 0;
        var responseNumber = 0;
        var orderNumber = 0;
        for (var day = 0; day < days; day++)
        {
            var date = start.AddDays(day);
            AddSpend(batch, random, date);
            // Growth over the history and seasonality: busy Jan–Mar and Sep–Oct, quiet Aug and Dec.
            var growth = 0.7 + (0.6 * day / days);
            var expected = meanPerDay * growth * Seasonality(date.Month) * (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.5 : 1.15);
            var signups = Poisson(random, expected);
            for (var i = 0; i < signups; i++)
            {
                var id = $"C{++customerNumber:D7}";
                var signedUp = date.AddSeconds(random.Next(8 * 3600, 20 * 3600));
                if (signedUp >= end) continue;
                var customer = new CustomerLife(id, Pick(random, Segments, s => s.Share), Pick(random, Channels, c => c.Share), signedUp);
                Live(customer, batch, random, end, options, ref ticketNumber, ref responseNumber, ref orderNumber);
            }
        }
        return batch;
    }

    private sealed record CustomerLife(string Id, Segment Segment, Channel Channel, DateTime SignedUp);

    private static void Live(CustomerLife life, GrowthDataBatch batch, Random random, DateTime end, DemoHistoryOptions options,
        ref int ticketNumber, ref int responseNumber, ref int orderNumber)
    {
        DateTime? activated = random.NextDouble() < 0.68 + life.Channel.ActivationBoost
            ? Clamp(life.SignedUp.AddHours(random.Next(1, 24 * (random.NextDouble() < 0.8 ? 12 : 40))), end)
            : null;
        var name = $"{CompanyWords[random.Next(CompanyWords.Length)]} {CompanySuffixes[random.Next(CompanySuffixes.Length)]} {life.Id[^4..]}";
        batch.Customers.Add(new Customer(life.Id, name, life.Segment.Name, life.Channel.Name, life.SignedUp, activated));

        var happiness = activated is null ? -0.8 : random.NextDouble() - 0.35;
        if (random.NextDouble() > (activated is null ? 0.25 : 0.85)) return; // never converts to paid
        var moment = life.SignedUp.AddDays(random.Next(0, 21)).AddMinutes(random.Next(0, 600));
        if (moment >= end) return;
        var mrr = RoundPrice(life.Segment.MinMrr + ((life.Segment.MaxMrr - life.Segment.MinMrr) * (decimal)Math.Pow(random.NextDouble(), 2)));
        batch.Subscriptions.Add(new SubscriptionChange(life.Id, moment, mrr));
        var paying = true;

        while (true)
        {
            moment = moment.AddDays(random.Next(20, 40)).AddMinutes(random.Next(-300, 300));
            if (moment >= end) break;
            var month = moment.Month;
            if (paying)
            {
                ActivityForMonth(life, batch, random, moment, end, happiness, options, ref ticketNumber, ref responseNumber, ref orderNumber);
                var churn = life.Segment.MonthlyChurn * (happiness < 0 ? 1.8 : 0.7) * (month is 12 or 1 ? 1.4 : 1.0);
                var roll = random.NextDouble();
                if (roll < churn)
                {
                    batch.Subscriptions.Add(new SubscriptionChange(life.Id, moment, 0m));
                    paying = false;
                }
                else if (roll < churn + (options.PlanChangeRate * (happiness > 0 ? 1.3 : 0.7)))
                {
                    var up = random.NextDouble() < (happiness > 0 ? 0.75 : 0.45);
                    var factor = up ? 1m + (decimal)(0.1 + (random.NextDouble() * 0.6)) : 1m - (decimal)(0.1 + (random.NextDouble() * 0.35));
                    // Plan sizes stay within what the segment sells, however many changes a customer makes.
                    var next = Math.Clamp(RoundPrice(mrr * factor), life.Segment.MinMrr / 2, life.Segment.MaxMrr * 3);
                    if (next != mrr)
                    {
                        mrr = next;
                        batch.Subscriptions.Add(new SubscriptionChange(life.Id, moment, mrr));
                    }
                }
            }
            else if (random.NextDouble() < 0.03)
            {
                // A win-back: the customer returns, usually on a smaller plan.
                mrr = Math.Max(life.Segment.MinMrr, RoundPrice(mrr * 0.8m));
                batch.Subscriptions.Add(new SubscriptionChange(life.Id, moment, mrr));
                paying = true;
            }
            else if (random.NextDouble() < 0.15)
            {
                break; // gone for good
            }
        }
    }

    private static void ActivityForMonth(CustomerLife life, GrowthDataBatch batch, Random random, DateTime monthMoment, DateTime end,
        double happiness, DemoHistoryOptions options, ref int ticketNumber, ref int responseNumber, ref int orderNumber)
    {
        if (random.NextDouble() < 0.18)
        {
            var orders = random.NextDouble() < 0.3 ? 2 : 1;
            for (var i = 0; i < orders; i++)
            {
                var at = Clamp(monthMoment.AddDays(-random.Next(0, 28)).AddMinutes(random.Next(0, 1440)), end);
                batch.Orders.Add(new Order($"O{++orderNumber:D8}", life.Id, at, RoundPrice((decimal)(20 + (random.NextDouble() * 480)))));
            }
        }

        if (random.NextDouble() < 0.35)
        {
            var opened = Clamp(monthMoment.AddDays(-random.Next(0, 28)).AddMinutes(random.Next(0, 1440)), end);
            var contacts = random.NextDouble() < 0.72 + (happiness * 0.1) ? 1 : random.Next(2, 6);
            DateTime? resolved = opened.AddHours(random.Next(1, 24 * contacts * 2));
            if (resolved >= end) resolved = null;
            var ticketId = $"T{++ticketNumber:D8}";
            batch.Tickets.Add(new Ticket(ticketId, life.Id, opened, resolved, resolved is null ? Math.Max(0, contacts - 1) : contacts));
            if (resolved is { } done && random.NextDouble() < options.SurveyRate * 4)
            {
                var survey = random.NextDouble() < 0.5 ? SurveyKind.Csat : SurveyKind.Ces;
                var ease = happiness - ((contacts - 1) * 0.25);
                var score = survey == SurveyKind.Csat ? ScoreOn(random, ease, 1, 5) : ScoreOn(random, ease, 1, 7);
                var at = Clamp(done.AddHours(random.Next(1, 48)), end);
                AddResponse(batch, random, ref responseNumber, survey, life.Id, score, survey == SurveyKind.Csat ? 5 : 7, at);
            }
        }

        if (random.NextDouble() < options.SurveyRate)
        {
            var at = Clamp(monthMoment.AddMinutes(random.Next(0, 1440)), end);
            AddResponse(batch, random, ref responseNumber, SurveyKind.Nps, life.Id, ScoreOn(random, happiness, 0, 10), 10, at);
        }
    }

    private static void AddResponse(GrowthDataBatch batch, Random random, ref int responseNumber, SurveyKind survey, string customerId, int score, int max, DateTime at)
    {
        var share = score / (double)max;
        string? comment = null;
        if (random.NextDouble() < 0.4)
        {
            var pool = share >= 0.8 ? PraiseComments : share >= 0.6 ? NeutralComments : ComplaintComments;
            comment = pool[random.Next(pool.Length)];
        }
        batch.Responses.Add(new SurveyResponse($"R{++responseNumber:D8}", survey, customerId, score, comment, at));
    }

    private static int ScoreOn(Random random, double happiness, int min, int max)
    {
        var centre = 0.8 + (happiness * 0.3) + ((random.NextDouble() - 0.5) * 0.4);
        return Math.Clamp((int)Math.Round(min + (centre * (max - min))), min, max);
    }

    private static void AddSpend(GrowthDataBatch batch, Random random, DateTime date)
    {
        foreach (var channel in Channels)
        {
            var daily = channel.DailySpend * (decimal)(0.75 + (random.NextDouble() * 0.5)) * (decimal)Seasonality(date.Month);
            batch.Spend.Add(new SpendEntry(date, channel.Name, SpendCategory.Marketing, decimal.Round(daily * 0.6m, 2)));
            batch.Spend.Add(new SpendEntry(date, channel.Name, SpendCategory.Sales, decimal.Round(daily * 0.3m, 2)));
            batch.Spend.Add(new SpendEntry(date, channel.Name, SpendCategory.Onboarding, decimal.Round(daily * 0.1m, 2)));
        }
    }

    private static double Seasonality(int month) => month switch
    {
        1 or 2 or 3 => 1.2,
        9 or 10 => 1.15,
        8 => 0.75,
        12 => 0.7,
        _ => 1.0,
    };

    private static T Pick<T>(Random random, T[] items, Func<T, double> weight)
    {
        var roll = random.NextDouble() * items.Sum(weight);
        foreach (var item in items)
        {
            roll -= weight(item);
            if (roll <= 0) return item;
        }
        return items[^1];
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's method is fine for the small daily means used here; large means use a normal approximation.
        if (mean > 30) return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * Gaussian(random))));
        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble()) count++;
        return count;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static decimal RoundPrice(decimal price) => Math.Max(1m, decimal.Round(price, 0));

    private static DateTime Clamp(DateTime moment, DateTime end) => moment >= end ? end.AddSeconds(-1) : moment;

    private static DateTime TruncateToSecond(DateTime moment) =>
        new(moment.Ticks - (moment.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
