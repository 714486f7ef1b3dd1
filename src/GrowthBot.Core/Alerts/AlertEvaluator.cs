using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Alerts;

/// <summary>
/// Reads alerts against the metric engine. One evaluator serves one check: it keeps every answer it
/// asked the engine for, so a thousand alerts over the same few metrics and periods ask for each
/// (metric, period, breakdown) once, and <see cref="Prefetch"/> asks for them all as one reading.
/// </summary>
internal sealed class AlertEvaluator(IMetricEngine engine, AlertOptions options, TimeZoneInfo zone)
{
    private readonly Dictionary<MetricQuery, MetricAnswer?> _answers = [];
    private readonly Dictionary<(string?, DateTimeOffset), AlertWindow> _windows = [];

    public int EngineQueries { get; private set; }

    /// <summary>
    /// Asks the engine, as one reading, for every answer <paramref name="rules"/> need at
    /// <paramref name="now"/> (each period, the one before, and the history "unusual" learns from):
    /// alerts over the same period share the rows gathered for it, whatever their metric.
    /// </summary>
    public void Prefetch(IEnumerable<AlertRule> rules, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var wanted = new List<MetricQuery>();
        var seen = new HashSet<MetricQuery>();
        void Want(MetricQuery query)
        {
            if (!_answers.ContainsKey(query) && seen.Add(query)) wanted.Add(query);
        }
        foreach (var rule in rules)
        {
            var window = Window(rule, now);
            Want(new MetricQuery(rule.Metric, window.From, window.To, rule.By));
            Want(new MetricQuery(rule.Metric, window.PreviousFrom, window.PreviousTo, rule.By));
            if (rule.Condition != AlertCondition.Unusual) continue;
            foreach (var (from, to) in window.History(options.HistoryPeriods)) Want(new MetricQuery(rule.Metric, from, to, rule.By));
        }
        Fetch(wanted);
    }

    /// <summary>Asks, as one reading, for the splits <see cref="Contributors"/> will need for these readings (the alerts about to be posted or updated).</summary>
    public void PrefetchContributors(IEnumerable<AlertReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var wanted = new List<MetricQuery>();
        var seen = new HashSet<MetricQuery>();
        foreach (var reading in readings)
        {
            foreach (var by in new[] { Breakdown.Segment, Breakdown.Channel })
            {
                foreach (var query in new[] { new MetricQuery(reading.Rule.Metric, reading.Window.From, reading.Window.To, by), new MetricQuery(reading.Rule.Metric, reading.Window.PreviousFrom, reading.Window.PreviousTo, by) })
                {
                    if (!_answers.ContainsKey(query) && seen.Add(query)) wanted.Add(query);
                }
            }
        }
        Fetch(wanted);
    }

    private void Fetch(List<MetricQuery> wanted)
    {
        if (wanted.Count == 0) return;
        var answers = engine.AnswerAll(wanted);
        EngineQueries += wanted.Count;
        for (var i = 0; i < wanted.Count; i++) _answers[wanted[i]] = answers[i];
    }

    public AlertReading Read(AlertRule rule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var metric = MetricCatalog.Get(rule.Metric);
        var window = Window(rule, now);
        var current = Answer(rule.Metric, window.From, window.To, rule.By);
        var previous = Answer(rule.Metric, window.PreviousFrom, window.PreviousTo, rule.By);
        if (current is null) return new AlertReading(rule, metric, window, MetricResult.Undefined(), null, new AlertVerdict(null, $"{metric.Title} can't be split that way"), []);
        var history = rule.Condition == AlertCondition.Unusual
            ? window.History(options.HistoryPeriods).Select(period => Answer(rule.Metric, period.From, period.To, rule.By)).ToList()
            : [];
        var whole = AlertJudge.Judge(rule, metric, current.Result, previous?.Result, [.. history.Where(answer => answer is not null).Select(answer => answer!.Result)], options.MinimumSample);
        if (rule.By == Breakdown.None) return new AlertReading(rule, metric, window, current.Result, previous?.Result, whole, []);

        // By segment or channel: the alert holds when any group meets it on its own data.
        var groups = new List<AlertGroupReading>();
        foreach (var group in current.Groups ?? [])
        {
            var before = previous?.Groups?.FirstOrDefault(other => other.Name == group.Name)?.Result;
            var groupHistory = history.Select(answer => answer?.Groups?.FirstOrDefault(other => other.Name == group.Name)?.Result).OfType<MetricResult>().ToList();
            groups.Add(new AlertGroupReading(group.Name, group.Result, before, AlertJudge.Judge(rule, metric, group.Result, before, groupHistory, options.MinimumSample)));
        }
        var verdict = groups.Any(group => group.Verdict.Met == true) ? new AlertVerdict(true, null, whole.Change, whole.Margin)
            : groups.Any(group => group.Verdict.Met == false) ? new AlertVerdict(false, null, whole.Change, whole.Margin)
            : new AlertVerdict(null, groups.Count == 0 ? "no segment or channel has data for the period" : $"no {rule.By.ToString().ToLowerInvariant()} has enough data: {groups[0].Verdict.NoVerdict}");
        return new AlertReading(rule, metric, window, current.Result, previous?.Result, verdict, groups);
    }

    /// <summary>
    /// The segments and channels that moved the value most against the period before: each group's
    /// change, weighted by its share of the sample for rates (a small segment's big swing moves the
    /// total less), taken as it is for amounts and counts; the biggest in the direction of the total's change first.
    /// </summary>
    public IReadOnlyList<AlertContributor> Contributors(AlertReading reading, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var additive = reading.Metric.Unit is MetricUnit.Money or MetricUnit.Count;
        var totalChange = reading.Previous?.Value is { } before && reading.Current.Value is { } now ? now - before : 0m;
        var found = new List<AlertContributor>();
        foreach (var by in new[] { Breakdown.Segment, Breakdown.Channel })
        {
            var current = Answer(reading.Rule.Metric, reading.Window.From, reading.Window.To, by);
            var previous = Answer(reading.Rule.Metric, reading.Window.PreviousFrom, reading.Window.PreviousTo, by);
            if (current?.Groups is not { } groups) continue;
            var total = Math.Max(1, groups.Sum(group => group.Result.SampleSize));
            foreach (var group in groups)
            {
                var old = previous?.Groups?.FirstOrDefault(other => other.Name == group.Name)?.Result.Value;
                if (group.Result.Value is not { } value || old is not { } was || value == was) continue;
                var delta = value - was;
                var weight = additive ? 1m : (decimal)group.Result.SampleSize / total;
                found.Add(new AlertContributor(by, group.Name, was, value, delta * weight));
            }
        }
        var sign = Math.Sign(totalChange);
        return found
            .OrderByDescending(contributor => sign == 0 || Math.Sign(contributor.Weighted) == sign)
            .ThenByDescending(contributor => Math.Abs(contributor.Weighted))
            .ThenBy(contributor => contributor.Name, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    /// <summary>The rule's period at <paramref name="now"/>: the words are read once per check, not once per alert.</summary>
    private AlertWindow Window(AlertRule rule, DateTimeOffset now)
    {
        var key = (rule.PeriodText, now);
        if (_windows.TryGetValue(key, out var known)) return known;
        var window = AlertWindow.Resolve(rule, now, zone);
        _windows[key] = window;
        return window;
    }

    private MetricAnswer? Answer(MetricId metric, DateTime from, DateTime to, Breakdown by)
    {
        var query = new MetricQuery(metric, from, to, by);
        if (_answers.TryGetValue(query, out var known)) return known;
        MetricAnswer? answer;
        try
        {
            EngineQueries++;
            answer = engine.Answer(query);
        }
        catch (MetricQueryException)
        {
            // Asked for a split the metric has no data for (spend by segment): nothing to read.
            answer = null;
        }
        _answers[query] = answer;
        return answer;
    }
}

/// <summary>A segment or channel and how it moved: <see cref="Weighted"/> is its share of the total's change.</summary>
internal sealed record AlertContributor(Breakdown By, string Name, decimal Before, decimal Now, decimal Weighted);
