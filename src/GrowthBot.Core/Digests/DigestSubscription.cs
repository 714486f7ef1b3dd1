using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Digests;

/// <summary>
/// A conversation's standing order for a digest: the metrics a <see cref="Team"/> is accountable
/// for (resolved when each digest is composed, so a change of accountability shows up) or an
/// explicit list of <see cref="Metrics"/>, posted on <see cref="Schedule"/> in <see cref="TimeZone"/>
/// (IANA id). <see cref="SubscribedBy"/> is the subscriber's platform user id, <see cref="SubscribedByName"/>
/// their display name when the platform gave one. <see cref="PausedReason"/> is set when the platform said the conversation is gone
/// (archived, bot removed), so it stops being tried until someone subscribes there again. <see cref="Locale"/>
/// is the culture name the subscriber's client sent ("de-DE"), which the digest's numbers and dates are
/// written in; null (Slack, or subscribed before locales were kept) for GrowthBot's own style.
/// </summary>
public sealed record DigestSubscription(
    string Id,
    ChatPlatform Platform,
    string ConversationId,
    Team? Team,
    IReadOnlyList<MetricId> Metrics,
    DigestSchedule Schedule,
    string TimeZone,
    string SubscribedBy,
    DateTimeOffset SubscribedAt,
    string? PausedReason = null,
    string? SubscribedByName = null,
    string? Workspace = null,
    string? Locale = null)
{
    /// <summary>Who subscribed, as people read it: their display name, else which platform's user (never a raw id).</summary>
    public string SubscriberText => string.IsNullOrWhiteSpace(SubscribedByName) ? $"a {Platform} user" : SubscribedByName.Trim();

    /// <summary>Where the digest goes, with the installation it was subscribed through (<see cref="Workspace"/>), so it is posted with that workspace's token.</summary>
    public ChatAddress Address => new(Platform, ConversationId, Workspace);

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>"Marketing" or "NPS, CSAT".</summary>
    public string Subject => Team?.ToString() ?? string.Join(", ", Metrics.Select(metric => MetricCatalog.Get(metric).Name));

    /// <summary>The metrics to report, in catalog order.</summary>
    public IReadOnlyList<MetricId> MetricsToReport(Accountability accountability)
    {
        ArgumentNullException.ThrowIfNull(accountability);
        return Team is { } team ? accountability.MetricsFor(team) : Metrics;
    }

    /// <summary>Whether this is the same standing order (same conversation and same team or metric list).</summary>
    public bool SameSubjectAs(DigestSubscription other) =>
        other is not null && other.Platform == Platform && other.ConversationId == ConversationId && other.Team == Team &&
        (Team is not null || Metrics.Order().SequenceEqual(other.Metrics.Order()));

    public override string ToString() => $"{Id} ({Subject} → {Platform} {ConversationId})";
}
