using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// The follow-up line of a digest that reports a survey score: cases opened and closed in the
/// digest's period, and the median time from opening to closing of those closed in it.
/// </summary>
public sealed class FollowUpDigestSection(IFollowUpStore store) : IDigestSection
{
    public IReadOnlyList<ChatBlock> Blocks(DigestRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Metrics.Any(metric => MetricCatalog.Get(metric).IsSurveyScore)) return [];
        var from = new DateTimeOffset(request.Period.From, TimeSpan.Zero);
        var to = new DateTimeOffset(request.Period.To, TimeSpan.Zero);
        var touched = store.Touched(from, to);
        var opened = touched.Count(followUp => followUp.OpenedAt >= from && followUp.OpenedAt < to);
        var closed = touched.Where(followUp => followUp.ResolvedAt is { } at && at >= from && at < to).ToList();
        var noun = request.Period.Noun;
        if (opened == 0 && closed.Count == 0) return [new ContextBlock($"Follow-ups this {noun}: none opened, none closed.")];
        var text = $"Follow-ups this {noun}: {opened} opened, {closed.Count} closed";
        if (closed.Count > 0)
        {
            var median = Median(closed.Select(followUp => followUp.ResolvedAt!.Value - followUp.OpenedAt).ToList());
            text += $", median time to close {FollowUpMessages.Age(median)}";
        }
        return [new ContextBlock(text + ".")];
    }

    /// <summary>The median of durations (the mean of the middle two for an even count).</summary>
    public static TimeSpan Median(IReadOnlyList<TimeSpan> durations)
    {
        ArgumentNullException.ThrowIfNull(durations);
        if (durations.Count == 0) throw new ArgumentException("No durations.", nameof(durations));
        var sorted = durations.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : TimeSpan.FromTicks((sorted[middle - 1].Ticks + sorted[middle].Ticks) / 2);
    }
}
