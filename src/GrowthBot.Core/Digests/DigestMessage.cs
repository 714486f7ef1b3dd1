using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Surveys;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Text;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Digests;

/// <summary>
/// Writes a composed digest as blocks: header, what it covers, per metric one line of text (value
/// and change against the period before, with the margin-of-error verdict for survey scores) and
/// one row of fields (same period last year, target, sparkline), the chart, what customers said,
/// and the response counts. About 2 blocks per metric, well inside Slack's 50-block limit.
/// </summary>
internal static class DigestMessage
{
    private const int CommentLength = 280;

    public static ChatMessage Build(
        DigestRequest request,
        IReadOnlyList<DigestMetric> lines,
        IReadOnlyList<MetricDefinition> leftOut,
        IReadOnlyList<MetricDefinition> noData,
        IReadOnlyList<DataGap> gaps,
        IReadOnlyList<Freshness.DataAge> stale,
        IReadOnlyList<(MetricDefinition Metric, MetricResult Current, MetricResult Previous)> surveys,
        IReadOnlyList<SurveyComment> comments,
        byte[]? chart,
        string currency,
        DateTimeOffset now)
    {
        var utcNow = now.UtcDateTime;
        var culture = request.Culture;
        var period = request.Period;
        var previous = period.Earlier(1);
        var noun = period.Noun;
        var blocks = new List<ChatBlock>
        {
            new HeaderBlock(request.Mode switch
            {
                DigestMode.Preview => $"Preview: {request.Subject} digest — {period.Describe(utcNow, culture)}",
                DigestMode.Late => $"{request.Subject} digest — {period.Describe(utcNow, culture)} (late)",
                _ => $"{request.Subject} digest — {period.Describe(utcNow, culture)}",
            }),
            new ContextBlock(Intro(request, lines.Count, lines.Count + leftOut.Count, utcNow)),
        };
        if (Warning(gaps, stale, period.Zone, now, culture) is { } warning) blocks.Insert(1, new TextBlock(warning));

        foreach (var line in lines)
        {
            var metric = line.Metric;
            var value = MetricFormatter.Value(metric, line.Current.Value, currency, culture);
            var change = ChangeText.Describe(metric, line.Current, line.Previous, previous.Range(utcNow, culture), currency, culture);
            blocks.Add(new TextBlock($"{metric.Title}: {value} — {change}."));
            var fields = new List<ChatField> { new($"Same {noun} last year", YearAgo(metric, line, period.YearEarlier().Range(utcNow, culture), currency, culture)) };
            if (line.Target is { } target) fields.Add(new ChatField("Target", TargetStatus.Describe(metric, line.Current.Value, target, currency, culture)));
            fields.Add(new ChatField($"Last {line.Trend.Count} {noun}s", Sparkline.Draw(line.Trend)));
            blocks.Add(new FieldsBlock(fields));
        }
        if (lines.Count == 0) blocks.Add(new TextBlock($"None of these metrics has data for this {noun}."));

        if (chart is not null)
        {
            var alt = string.Join("; ", lines.Select(line =>
                $"{line.Metric.Title} from {MetricFormatter.Value(line.Metric, line.Trend.First(value => value is not null), currency, culture)} to {MetricFormatter.Value(line.Metric, line.Trend[^1], currency, culture)}"));
            blocks.Add(new ImageBlock(chart, $"{request.Subject}: last {lines[0].Trend.Count} {noun}s", $"Trend over the last {lines[0].Trend.Count} {noun}s: {alt}."));
        }

        if (leftOut.Count > 0)
        {
            blocks.Add(new ContextBlock($"Also tracked, moved less: {string.Join(", ", leftOut.Select(metric => metric.Title))}."));
        }
        if (noData.Count > 0)
        {
            blocks.Add(new ContextBlock($"No data this {noun} for: {string.Join(", ", noData.Select(metric => metric.Title))}."));
        }

        if (surveys.Count > 0)
        {
            blocks.Add(new DividerBlock());
            blocks.Add(new TextBlock(comments.Count == 0
                ? $"No survey comments this {noun}."
                : $"What customers said this {noun}:\n" + string.Join("\n", comments.Select(comment => Quote(comment, period.Zone, culture)))));
            blocks.Add(new ContextBlock(Responses(surveys, noun, culture)));
        }
        return QuestionGuide.Message([.. blocks]);
    }

    /// <summary>
    /// The digest's first line when its data is incomplete or old: each source whose data ends before
    /// the period does (with how long nothing has arrived from it, when that is past its threshold too),
    /// then each stale source without such a gap. One line, so nobody reads two warnings about the same data.
    /// </summary>
    private static string? Warning(IReadOnlyList<DataGap> gaps, IReadOnlyList<Freshness.DataAge> stale, TimeZoneInfo zone, DateTimeOffset now, CultureInfo? culture)
    {
        var parts = new List<string>();
        foreach (var gap in gaps)
        {
            var age = stale.FirstOrDefault(candidate => candidate.Covers(gap.Source));
            parts.Add(gap.Describe(zone, culture) + (age is null ? string.Empty : $" and {age.NothingNewFor(now)}"));
        }
        var old = stale.Where(age => !gaps.Any(gap => age.Covers(gap.Source))).Select(age => age.Warning(now, zone, culture)!).ToList();
        parts.AddRange(old);
        if (parts.Count == 0) return null;
        var text = string.Join("; ", parts);
        text = $"⚠️ {char.ToUpperInvariant(text[0])}{text[1..]}.";
        if (gaps.Count > 0) text += " Metrics computed from it show no data after that day, never a zero made up from missing rows; import newer data to bring them up to date.";
        if (old.Count > 0) text += " The figures below may miss what happened since; `growthbot status` shows each source.";
        return text;
    }

    private static string Intro(DigestRequest request, int shown, int count, DateTime utcNow)
    {
        var period = request.Period;
        var noun = period.Noun;
        var text = period.Cadence == DigestCadence.Weekly
            ? $"Monday to Sunday, {period.Range(utcNow, request.Culture)}, {period.Zone.Id} time."
            : $"{period.Range(utcNow, request.Culture)}, {period.Zone.Id} time.";
        text += count > shown
            ? $" The {shown} of {count} metrics that moved most, each against the {noun} before and the same {noun} last year."
            : $" Each metric against the {noun} before and the same {noun} last year, the biggest moves first.";
        if (request.Mode == DigestMode.Late && request.DueAt is { } due)
        {
            var local = LocalCalendar.ToLocal(due.UtcDateTime, period.Zone);
            text += $" Sent late: it was due {local.ToString("ddd", CultureInfo.InvariantCulture)} {CultureText.MonthDay(local, request.Culture)}, {CultureText.Time(local, request.Culture)}.";
        }
        if (request.Mode == DigestMode.Preview) text += $" This is a preview; it does not replace the scheduled digest.";
        return text;
    }

    private static string YearAgo(MetricDefinition metric, DigestMetric line, string range, string currency, CultureInfo? culture)
    {
        if (line.YearAgo?.Value is not { } then) return $"no data for {range}";
        var was = MetricFormatter.Value(metric, then, currency, culture);
        return line.Current.Value is null ? was : $"{was} ({MetricFormatter.Change(metric, line.Current.Value, then, currency, culture)} since)";
    }

    private static string Quote(SurveyComment comment, TimeZoneInfo zone, CultureInfo? culture)
    {
        var text = comment.Comment.ReplaceLineEndings(" ").Trim();
        if (text.Length > CommentLength) text = string.Concat(text.AsSpan(0, CommentLength - 1), "…");
        var day = CultureText.MonthDay(LocalCalendar.ToLocal(comment.At.UtcDateTime, zone), culture);
        return $"• “{text}” — {comment.Kind.ToString().ToUpperInvariant()} {comment.Score}, {day}";
    }

    private static string Responses(IReadOnlyList<(MetricDefinition Metric, MetricResult Current, MetricResult Previous)> surveys, string noun, CultureInfo? culture)
    {
        var answered = surveys.Where(survey => survey.Current.SampleSize > 0 || survey.Previous.SampleSize > 0).ToList();
        if (answered.Count == 0) return $"No survey responses this {noun} or the {noun} before.";
        var parts = answered.OrderBy(survey => survey.Metric.Id).Select(survey =>
            $"{CultureText.Number(survey.Current.SampleSize, "N0", culture)} {ShortName(survey.Metric.Id)} ({CultureText.Number(survey.Previous.SampleSize, "N0", culture)} the {noun} before)");
        return $"Survey responses this {noun}: {string.Join(", ", parts)}.";
    }

    private static string ShortName(MetricId metric) => metric.ToString().ToUpperInvariant();
}
