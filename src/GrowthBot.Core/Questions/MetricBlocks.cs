using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Text;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Questions;

/// <summary>The blocks that show one metric's answer: a single value with its change, or a series.</summary>
internal static class MetricBlocks
{
    public static IEnumerable<ChatBlock> Single(MetricReply reply, string prefix, string period, string? comparePeriod, bool explain, string currency, Accountability accountability, TimeZoneInfo zone, DateTimeOffset now, CultureInfo? culture = null)
    {
        var metric = reply.Metric;
        var answer = reply.Answer!;
        var result = answer.Result;
        if (result.Value is not { } value)
        {
            var why = answer.DataGap is { } gap
                ? $"{gap.Describe(zone, culture)}{(answer.Age is { Stale: true } age && age.Covers(gap.Source) ? $" and {age.NothingNewFor(now)}" : string.Empty)}, so there is nothing to measure this period with"
                : result.SampleSize == 0 ? "nothing was recorded for it in that period" : "it can't be computed from what was recorded (nothing to divide by)";
            yield return new TextBlock(prefix.Length == 0
                ? $"No data for {metric.Title} for {period}: {why}."
                : $"{prefix}no data for {period}: {why}.");
            if (answer.DataGap is null && Warning(answer, zone, now, culture) is { } stale) yield return new ContextBlock(stale);
        }
        else
        {
            var change = answer.Previous is { } previous && comparePeriod is not null
                ? ", " + ChangeText.Describe(metric, result, previous.Result, comparePeriod, currency, culture)
                : string.Empty;
            yield return new TextBlock($"{prefix}{MetricFormatter.Value(metric, value, currency, culture)}{change}.");
            if (Warning(answer, zone, now, culture) is { } warning) yield return new ContextBlock(warning);
        }
        if (answer.Notes.Count > 0) yield return new ContextBlock(string.Join(" ", answer.Notes));

        if (answer.Groups is { } groups)
        {
            yield return groups.Count == 0
                ? new TextBlock("No group had data for this period.")
                : new FieldsBlock(groups.Select(group => new ChatField(group.Name, GroupValue(metric, group, answer.Previous, currency, culture))).ToList());
        }

        if (explain)
        {
            var fields = new List<ChatField>
            {
                new("Numerator", result.Numerator is { } top ? MetricFormatter.Numerator(metric, top, currency, culture) : "none"),
                new("Denominator", result.Denominator is { } bottom ? MetricFormatter.Denominator(metric, bottom, currency, culture) : "none"),
                new("Sample size", CultureText.Number(result.SampleSize, "N0", culture)),
            };
            if (metric.IsSurveyScore && result.Value is not null && result.SampleSize < SurveyNoise.MinimumAnswers)
            {
                fields.Add(new ChatField("Margin of error (95%)", $"not estimated: n = {CultureText.Number(result.SampleSize, "N0", culture)}, fewer than {SurveyNoise.MinimumAnswers} answers"));
            }
            else if (SurveyNoise.MarginOf(metric, result) is { } margin)
            {
                fields.Add(new ChatField(metric.Id == MetricId.Ces ? "Margin of error (95%, at most)" : "Margin of error (95%)", $"±{CultureText.Number(margin, "0.0#", culture)}"));
            }
            if (answer.Previous is { } previous && comparePeriod is not null)
            {
                fields.Add(new ChatField($"Previous period ({comparePeriod})", $"{MetricFormatter.Value(metric, previous.Result.Value, currency, culture)} ({MetricFormatter.Basis(metric, previous.Result, currency, culture)})"));
            }
            yield return new FieldsBlock(fields);
            var how = answer.Workings is { } workings && result.Value is not null
                ? $"How it was computed: {MetricFormatter.Workings(metric, workings, result.Value, currency, culture)}.{(workings.Caveat is { } caveat ? " " + caveat : string.Empty)}"
                : $"How it is calculated: {metric.Definition}";
            yield return new TextBlock($"{how} {(metric.Direction == Direction.HigherIsBetter ? "Higher is better." : "Lower is better.")}");
            yield return new ContextBlock($"Accountable: {QuestionGuide.Teams(accountability.TeamsFor(metric.Id))}.");
        }
        else
        {
            yield return new ContextBlock(MetricFormatter.Basis(metric, result, currency, culture));
        }
    }

    /// <summary>
    /// The one line that warns about the data behind an answer: where it ends before the period does
    /// (<see cref="DataGap"/>), how long nothing has arrived from its source, or both in one sentence.
    /// Null when the data covers the period and is within its source's threshold.
    /// </summary>
    public static string? Warning(MetricAnswer answer, TimeZoneInfo zone, DateTimeOffset now, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var age = answer.Age is { Stale: true } stale ? stale : null;
        if (answer.DataGap is { } gap)
        {
            var silent = age is not null && age.Covers(gap.Source) ? $" and {age.NothingNewFor(now)}" : string.Empty;
            return $"⚠️ {Capitalize(gap.Describe(zone, culture))}{silent}: the rest of the period has no data, so this figure may be incomplete.";
        }
        return age?.Warning(now, zone, culture) is { } old ? $"⚠️ {Capitalize(old)}: this figure may miss what happened since." : null;
    }

    public static IEnumerable<ChatBlock> Series(MetricReply reply, IReadOnlyList<SeriesBucket> buckets, string prefix, string currency, TimeZoneInfo zone, DateTimeOffset now, CultureInfo? culture = null)
    {
        var metric = reply.Metric;
        var steps = reply.Series!;
        var values = steps.Select(step => step.Result.Value).ToList();
        var lines = buckets.Select((bucket, i) => $"{bucket.Label}: {MetricFormatter.Value(metric, values[i], currency, culture)}").ToList();
        var known = Enumerable.Range(0, steps.Count).Where(i => values[i] is not null).ToList();
        // A step cut off at now (Dec 1–6) is not comparable with whole months: the trend runs over whole steps only.
        var whole = known.Where(i => !buckets[i].Partial).ToList();
        var partial = known.FirstOrDefault(i => buckets[i].Partial, -1);
        var summary = whole.Count >= 2
            ? $"From {buckets[whole[0]].Label} to {buckets[whole[^1]].Label}: " +
              ChangeText.Describe(metric, steps[whole[^1]].Result, steps[whole[0]].Result, string.Empty, currency, culture) + "."
            : whole.Count == 1 ? "Only one whole step has data." : known.Count > 0 ? "No whole step has data yet." : $"No data for {metric.Title} in any step.";
        if (partial >= 0) summary += $" {buckets[partial].Label}: a partial period, shown but not compared with whole ones.";
        yield return new TextBlock($"{prefix}{Sparkline.Draw(values)}\n{string.Join("\n", lines)}");
        yield return new ContextBlock(summary);
        if (reply.Answer is { } overall && Warning(overall, zone, now, culture) is { } warning) yield return new ContextBlock(warning);
        if (reply.Answer?.Groups is { Count: > 0 } groups)
        {
            yield return new FieldsBlock(groups.Select(group => new ChatField(group.Name, MetricFormatter.Value(metric, group.Result.Value, currency, culture) + " over the whole period")).ToList());
        }
    }

    private static string GroupValue(MetricDefinition metric, MetricGroup group, MetricAnswer? previous, string currency, CultureInfo? culture)
    {
        var text = $"{MetricFormatter.Value(metric, group.Result.Value, currency, culture)} (n = {CultureText.Number(group.Result.SampleSize, "N0", culture)})";
        var before = previous?.Groups?.FirstOrDefault(candidate => candidate.Name == group.Name);
        if (before?.Result.Value is not { } was || group.Result.Value is null) return text;
        return $"{text}, {ChangeText.Direction(group.Result.Value, was)} from {MetricFormatter.Value(metric, was, currency, culture)}";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

}
