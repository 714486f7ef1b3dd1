using System.Globalization;
using System.Runtime.ExceptionServices;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Freshness;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Answers a parsed question from the metric engine and writes the reply as a channel-neutral
/// <see cref="ChatMessage"/>: the value with its unit and period, the change against the comparison
/// period with its direction (and, for survey scores, whether it is beyond the margin of error),
/// a breakdown, a series with a text sparkline, and — on request — the numerator, denominator,
/// sample size and definition. An undefined value says "no data", never 0. A series also gets a
/// trend chart when a chart renderer is given (the host's; the command line answers in text).
/// </summary>
internal sealed class QuestionAnswerer(IMetricEngine engine, Accountability accountability, string currency, TimeZoneInfo zone, ITrendChartRenderer? charts = null, IDataFreshness? freshness = null)
{
    public TimeZoneInfo Zone => zone;

    /// <summary>The reply to <paramref name="question"/>, its numbers and dates in <paramref name="culture"/> (null: GrowthBot's own style).</summary>
    public QuestionReply Answer(string text, ParsedQuestion question, DateTimeOffset now, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        var utcNow = now.UtcDateTime;
        return question.Intent switch
        {
            QuestionIntent.Help => new QuestionReply(question, QuestionGuide.Help(zone.Id), []),
            QuestionIntent.Definition => new QuestionReply(question, QuestionGuide.Definitions(question.Metrics, accountability), []),
            QuestionIntent.Owners => new QuestionReply(question, QuestionGuide.Owners(question.Metrics, accountability), []),
            QuestionIntent.Metrics when question is { Problem: null, Period: not null } => Metrics(question, now, culture),
            _ => new QuestionReply(question, QuestionGuide.NotUnderstood(text, question, Describe(question.Period, utcNow, culture)), []),
        };
    }

    private QuestionReply Metrics(ParsedQuestion question, DateTimeOffset now, CultureInfo? culture)
    {
        var utcNow = now.UtcDateTime;
        var period = question.Period!;
        var buckets = question.Series == SeriesUnit.None ? null : SeriesBuckets.Split(period, question.Series, zone, out _, culture);
        var replies = AskEngine(question, buckets);
        if (freshness is not null)
        {
            // Every answer carries how old its data is; the blocks say so when that is past the source's threshold.
            replies = replies.Select(reply => reply.Answer is { } answer
                ? reply with { Answer = answer with { Age = DataAge.Of(reply.Metric.Id, engine, freshness, now) } }
                : reply).ToList();
        }

        var periodText = Describe(period, utcNow, culture)!;
        var heading = buckets is null ? periodText : $"{(question.Series == SeriesUnit.Week ? "weekly" : "monthly")}, {PeriodText.Range(period.From, period.To, zone, utcNow, culture)}";
        var titles = replies.Count <= 3 ? Join(replies.Select(reply => reply.Metric.Title)) : $"{replies.Count} metrics";
        var blocks = new List<ChatBlock> { new HeaderBlock($"{titles} — {heading}") };
        var compareText = question.Compare is { } compare ? PeriodText.Range(compare.From, compare.To, zone, utcNow, culture) : null;
        foreach (var reply in replies)
        {
            if (replies.Count > 1 && blocks.Count > 1) blocks.Add(new DividerBlock());
            var prefix = replies.Count > 1 ? $"{reply.Metric.Title}: " : string.Empty;
            if (reply.Error is not null) blocks.Add(new TextBlock(prefix + reply.Error));
            else if (reply.Series is not null) blocks.AddRange(MetricBlocks.Series(reply, buckets!, prefix, currency, zone, now, culture));
            else blocks.AddRange(MetricBlocks.Single(reply, prefix, periodText, compareText, question.Explain, currency, accountability, zone, now, culture));
        }

        if (buckets is not null && TrendChartOf(replies, buckets, titles, heading, culture) is { } chart) blocks.Add(chart);

        var notes = new List<string>();
        if (question.PeriodDefaulted) notes.Add("You didn't name a period, so this is this month so far.");
        if (buckets is not null && buckets.Count > 0 && buckets[0].From != period.From) notes.Add($"Showing the latest {buckets.Count} {(question.Series == SeriesUnit.Week ? "weeks" : "months")}.");
        notes.AddRange(question.NoteList);
        if (notes.Count > 0) blocks.Add(new ContextBlock(string.Join(" ", notes)));

        if (buckets is null && replies.Any(reply => reply.Answer is not null)) blocks.Add(Actions(question));
        return new QuestionReply(question, QuestionGuide.Message([.. blocks]), replies);
    }

    /// <summary>The series as a chart (one panel per metric), or null without a renderer or with fewer than two steps.</summary>
    private ImageBlock? TrendChartOf(List<MetricReply> replies, IReadOnlyList<SeriesBucket> buckets, string titles, string heading, CultureInfo? culture)
    {
        var drawn = replies.Where(reply => reply.Series is { Count: > 1 }).ToList();
        if (charts is null || drawn.Count == 0) return null;
        var chart = new TrendChart(
            $"{titles} — {heading}",
            [.. buckets.Select(bucket => bucket.Label)],
            [.. drawn.Select(reply => new TrendSeries(
                reply.Metric.Title,
                [.. reply.Series!.Select(step => step.Result.Value is { } value ? (double?)(double)value : null)],
                null,
                TrendSeries.UnitLabel(reply.Metric, currency)))]);
        var alt = $"Trend chart of {titles}, {heading}: " + string.Join("; ", drawn.Select(reply =>
            $"{reply.Metric.Title} from {MetricFormatter.Value(reply.Metric, reply.Series![0].Result.Value, currency, culture)} to {MetricFormatter.Value(reply.Metric, reply.Series[^1].Result.Value, currency, culture)}"));
        return new ImageBlock(charts.RenderPng(chart), chart.Title, alt);
    }

    /// <summary>
    /// Up to this many engine queries (a period and its comparison) run one after the other: each
    /// takes well under a millisecond, and a parallel loop's caller spun for the other half while
    /// webhooks kept both cores busy, about 0.7 ms of CPU per question (a CPU profile of the
    /// webhook bench, bench/README.md session 13). A trend's many steps still run in parallel.
    /// </summary>
    internal const int SequentialJobs = 2;

    /// <summary>
    /// Asks the engine everything the answer needs — per metric the whole period, then the comparison
    /// period or each step of the series — in parallel beyond <see cref="SequentialJobs"/>, since the
    /// engine answers many readers at once and the periods are independent. A refusal (e.g. "can't
    /// be split by segment") becomes that metric's <see cref="MetricReply.Error"/>.
    /// </summary>
    private List<MetricReply> AskEngine(ParsedQuestion question, IReadOnlyList<SeriesBucket>? buckets)
    {
        var period = question.Period!;
        var jobs = new List<(int Metric, MetricQuery Query)>();
        for (var m = 0; m < question.Metrics.Count; m++)
        {
            var metric = question.Metrics[m];
            jobs.Add((m, new MetricQuery(metric, period.From, period.To, question.By)));
            if (buckets is not null) jobs.AddRange(buckets.Select(bucket => (m, new MetricQuery(metric, bucket.From, bucket.To))));
            else if (question.Compare is { } compare) jobs.Add((m, new MetricQuery(metric, compare.From, compare.To, question.By)));
        }

        var answers = new MetricAnswer?[jobs.Count];
        var errors = new string?[jobs.Count];
        void Run(int job)
        {
            try
            {
                answers[job] = engine.Answer(jobs[job].Query);
            }
            catch (MetricQueryException exception)
            {
                errors[job] = exception.Message;
            }
        }
        if (jobs.Count <= SequentialJobs)
        {
            for (var job = 0; job < jobs.Count; job++) Run(job);
        }
        else
        {
            try
            {
                Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Run);
            }
            catch (AggregateException exception) when (exception.InnerExceptions.Count > 0)
            {
                // Callers see the engine's own exception, as they would without the parallel loop.
                ExceptionDispatchInfo.Capture(exception.InnerExceptions[0]).Throw();
            }
        }

        var replies = new List<MetricReply>();
        for (var m = 0; m < question.Metrics.Count; m++)
        {
            var definition = MetricCatalog.Get(question.Metrics[m]);
            var mine = Enumerable.Range(0, jobs.Count).Where(job => jobs[job].Metric == m).ToList();
            if (mine.Select(job => errors[job]).FirstOrDefault(error => error is not null) is { } error)
            {
                replies.Add(new MetricReply(definition, null, null, error));
                continue;
            }
            var whole = answers[mine[0]]!;
            var rest = mine.Skip(1).Select(job => answers[job]!).ToList();
            replies.Add(buckets is not null
                ? new MetricReply(definition, whole, rest, null)
                : new MetricReply(definition, rest.Count == 1 ? whole with { Previous = rest[0] } : whole, null, null));
        }
        return replies;
    }

    private ActionsBlock Actions(ParsedQuestion question)
    {
        var trendPeriod = TrendWindow.EndingWith(question.Period!, SeriesUnit.Month, zone);
        var trend = question with { Period = trendPeriod, Compare = null, Series = SeriesUnit.Month, Explain = false, PeriodDefaulted = false, Notes = [], UnknownWords = [] };
        var actions = new List<ChatAction>();
        if (!question.Explain)
        {
            var explain = question with { Explain = true, Notes = [], UnknownWords = [] };
            actions.Add(new ChatAction(QuestionActionCodec.ExplainAction, "Explain this number", QuestionActionCodec.Encode(explain)));
        }
        actions.Add(new ChatAction(QuestionActionCodec.TrendAction, "Show trend", QuestionActionCodec.Encode(trend)));
        return new ActionsBlock(actions);
    }

    private string? Describe(QuestionPeriod? period, DateTime utcNow, CultureInfo? culture) => period is null ? null : PeriodText.Describe(period, zone, utcNow, culture);

    private static string Join(IEnumerable<string> parts)
    {
        var list = parts.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list.Take(list.Count - 1))} and {list[^1]}";
    }
}
