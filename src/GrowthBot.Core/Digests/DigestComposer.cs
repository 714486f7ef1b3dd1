using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Digests;

/// <summary>
/// Composes a digest as a channel-neutral <see cref="ChatMessage"/>: the metrics that moved most
/// against the period before (at most <see cref="DigestOptions.MaxMetrics"/>), each with its
/// change, the same period a year earlier, whether a survey score's change is beyond its margin
/// of error, its target status and a text sparkline; one trend chart of the last
/// <see cref="DigestOptions.TrendPeriods"/> periods; up to <see cref="DigestOptions.MaxComments"/>
/// recent comments from the surveys among the metrics; and the survey response counts.
/// </summary>
public sealed class DigestComposer(IMetricEngine engine, ISurveyComments comments, ITrendChartRenderer charts, DigestOptions options, string currency, TimeProvider time, Freshness.IDataFreshness? freshness = null,
    IEnumerable<IDigestSection>? sections = null)
{
    private readonly IDigestSection[] _sections = [.. sections ?? []];

    public Digest Compose(DigestRequest request, MetricAnswerCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        cache ??= new MetricAnswerCache(engine);
        var period = request.Period;
        var trendLength = options.TrendPeriods;
        var trendPeriods = Enumerable.Range(0, trendLength).Select(step => period.Earlier(trendLength - 1 - step)).ToList();
        var metrics = request.Metrics.Distinct().Select(MetricCatalog.Get).ToList();

        // This period and the one before, for every metric, decide which ones are shown.
        var firstPass = Ask(cache, metrics.SelectMany(metric => new[] { Query(metric, period), Query(metric, period.Earlier(1)) }).ToList());
        var ranked = metrics
            .Select((metric, m) => (Metric: metric, Current: firstPass[2 * m], Previous: firstPass[(2 * m) + 1]))
            .Select(item => (item.Metric, item.Current, item.Previous, Movement: Movement(item.Current.Value, item.Previous.Value)))
            .OrderBy(item => item.Current.Value is null ? 2 : item.Movement is null ? 1 : 0)
            .ThenByDescending(item => item.Movement ?? 0)
            .ToList();
        // A metric with nothing to report this period is named once at the end, not given a slot.
        var reportable = ranked.Where(item => item.Current.Value is not null).ToList();
        var shown = reportable.Take(options.MaxMetrics).ToList();
        var leftOut = reportable.Skip(options.MaxMetrics).Select(item => item.Metric).ToList();
        var noData = ranked.Where(item => item.Current.Value is null).Select(item => item.Metric).ToList();

        // The rest of the trend and the year-ago period, only for the metrics shown.
        var older = trendPeriods.Take(trendLength - 2).ToList();
        var secondPass = Ask(cache, shown.SelectMany(item => older.Append(period.YearEarlier()).Select(step => Query(item.Metric, step))).ToList());
        var lines = shown.Select((item, s) =>
        {
            var answers = secondPass.Skip(s * (older.Count + 1)).Take(older.Count + 1).ToList();
            var trend = answers.Take(older.Count).Select(result => result.Value).Append(item.Previous.Value).Append(item.Current.Value).ToList();
            var target = request.Targets.TryGetValue(item.Metric.Id, out var goal) ? goal : (decimal?)null;
            return new DigestMetric(item.Metric, item.Current, item.Previous, answers[^1], trend, item.Movement, target);
        }).ToList();

        var surveys = metrics.Where(metric => metric.IsSurveyScore).Select(metric => SurveyOf(metric.Id)).ToList();
        var said = surveys.Count == 0 || options.MaxComments == 0 ? [] : comments.Recent(period.From, period.To, options.MaxComments, surveys);
        var chart = lines.Count == 0 ? null : Draw(cache, Chart(request, lines, trendPeriods));
        // The same warning as a question's answer, once at the top: which data ends before the period does.
        var gaps = metrics
            .Select(metric => cache.Answer(Query(metric, period))?.DataGap)
            .OfType<DataGap>()
            .GroupBy(gap => gap.Source)
            .Select(group => group.First())
            .OrderBy(gap => gap.LastDataAt)
            .ToList();
        // And how old each source behind these metrics is: a stale one is warned about in the same line.
        var now = time.GetUtcNow();
        var stale = freshness is null ? [] : metrics
            .Select(metric => Freshness.DataAge.Of(metric.Id, engine, freshness, now))
            .OfType<Freshness.DataAge>()
            .Where(age => age.Stale)
            .GroupBy(age => age.Source)
            .Select(group => group.MinBy(age => age.LastAt)!)
            .OrderBy(age => age.LastAt)
            .ToList();
        var message = DigestMessage.Build(request, lines, leftOut, noData, gaps, stale,
            ranked.Where(item => item.Metric.IsSurveyScore).Select(item => (item.Metric, item.Current, item.Previous)).ToList(),
            said, chart, currency, time.GetUtcNow());
        // Parts other features add at the end (the follow-up counts).
        var extra = _sections.SelectMany(section => section.Blocks(request)).ToList();
        if (extra.Count > 0) message = QuestionGuide.Message([.. message.Blocks, .. extra]);
        return new Digest(message, lines, leftOut, noData, said);
    }

    /// <summary>
    /// How much a metric moved, relative to where it was: |now − before| ÷ |before|. A move from 0
    /// counts as 100%; undefined when either period has no value.
    /// </summary>
    internal static decimal? Movement(decimal? current, decimal? previous)
    {
        if (current is not { } now || previous is not { } before) return null;
        if (before == 0) return now == 0 ? 0 : 1;
        return Math.Abs(now - before) / Math.Abs(before);
    }

    private byte[] Draw(MetricAnswerCache cache, TrendChart chart)
    {
        var key = string.Join('\u001f', chart.Series.Select(series => $"{series.Title}|{series.Unit}|{series.Target}|{string.Join(',', series.Values)}")
            .Prepend(string.Join(',', chart.PeriodLabels)).Prepend(chart.Title));
        return cache.Chart(key, () => charts.RenderPng(chart));
    }

    private static MetricQuery Query(MetricDefinition metric, DigestPeriod period) => new(metric.Id, period.From, period.To);

    /// <summary>Asks in parallel (the engine serves many readers at once); a refused query is "no data".</summary>
    private static MetricResult[] Ask(MetricAnswerCache cache, List<MetricQuery> queries)
    {
        var results = new MetricResult[queries.Count];
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            i => results[i] = cache.Answer(queries[i])?.Result ?? MetricResult.Undefined());
        return results;
    }

    private static SurveyKind SurveyOf(MetricId metric) => metric switch
    {
        MetricId.Nps => SurveyKind.Nps,
        MetricId.Csat => SurveyKind.Csat,
        _ => SurveyKind.Ces,
    };

    private TrendChart Chart(DigestRequest request, IReadOnlyList<DigestMetric> lines, List<DigestPeriod> periods) => new(
        $"{request.Subject}: last {periods.Count} {request.Period.Noun}s",
        periods.Select(step => step.AxisLabel).ToList(),
        lines.Select(line => new TrendSeries(
            line.Metric.Title,
            line.Trend.Select(value => value is { } v ? (double?)(double)v : null).ToList(),
            line.Target is { } target ? (double)target : null,
            TrendSeries.UnitLabel(line.Metric, currency))).ToList());
}
