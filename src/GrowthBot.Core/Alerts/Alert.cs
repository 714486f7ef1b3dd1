using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Alerts;

/// <summary>What makes an alert's condition true.</summary>
public enum AlertCondition
{
    /// <summary>The value is above the threshold ("churn above 3%").</summary>
    Above,

    /// <summary>The value is below the threshold ("mrr-growth below 0").</summary>
    Below,

    /// <summary>The value fell by at least the threshold against the period before ("nps drops 5 points").</summary>
    Drops,

    /// <summary>The value rose by at least the threshold against the period before.</summary>
    Rises,

    /// <summary>The value is outside what its own history (and, for surveys, its margin of error) explains.</summary>
    Unusual,
}

/// <summary>How a <see cref="AlertCondition.Drops"/>/<see cref="AlertCondition.Rises"/> threshold is measured.</summary>
public enum ChangeUnit
{
    /// <summary>In the metric's own unit: NPS points, percentage points, money, customers.</summary>
    Points,

    /// <summary>Relative to the period before: "mrr drops 10%" is a fall of a tenth.</summary>
    Percent,
}

/// <summary>
/// An alert as staff set it in chat. <see cref="PeriodText"/> is the period as typed ("this month"),
/// read again at every check so it moves with the calendar; null means the last 7 days against the
/// 7 before. <see cref="ConversationId"/> is where it was set: its posts go there unless a digest
/// subscription of the metric's accountable team says which channel follows that team.
/// </summary>
public sealed record AlertRule(
    string Id,
    MetricId Metric,
    AlertCondition Condition,
    decimal? Threshold,
    ChangeUnit Unit,
    Breakdown By,
    string? PeriodText,
    ChatPlatform Platform,
    string ConversationId,
    string? Workspace,
    string CreatedBy,
    string? CreatedByName,
    DateTimeOffset CreatedAt,
    string? Locale = null);

/// <summary>
/// A message an alert posted, so a later change in the same period updates it instead of posting
/// again. <see cref="PeriodKey"/> is the period it was about ("rolling" for the default 7 days, else
/// the period's label and start); <see cref="PostedAt"/> when it was first posted; <see cref="RefreshedAt"/>
/// when its value was last brought up to date while the alert held (null: not since it was posted).
/// </summary>
public sealed record AlertPost(ChatPlatform Platform, string ConversationId, string? Workspace, string MessageId, string PeriodKey, DateTimeOffset PostedAt, DateTimeOffset? RefreshedAt = null);

/// <summary>
/// Where an alert stands. <see cref="Firing"/> is true from the check that found its condition
/// true until a check finds it false again (the re-arm): it fires once per crossing.
/// Acknowledgement belongs to the current firing and is cleared at the re-arm; a snooze holds
/// every post until <see cref="SnoozedUntil"/>.
/// <see cref="OwedBy"/> and <see cref="OwedUntil"/> mark a crossing recorded but not yet shown (an
/// outbox entry): posted, or, for a new crossing in a period that has a post, that post updated. The
/// host named is showing it until the lease ends; if it is still owed by then (that host died between
/// the record and the post), the next check on any host takes it over.
/// </summary>
public sealed record AlertState(
    bool Firing = false,
    DateTimeOffset? FiredAt = null,
    decimal? LastValue = null,
    AlertPost? Post = null,
    string? AcknowledgedBy = null,
    string? AcknowledgedByName = null,
    DateTimeOffset? AcknowledgedAt = null,
    DateTimeOffset? SnoozedUntil = null,
    string? SnoozedByName = null,
    DateTimeOffset? LastCheckedAt = null,
    string? LastNote = null,
    string? OwedBy = null,
    DateTimeOffset? OwedUntil = null)
{
    public static readonly AlertState Armed = new();

    public bool IsSnoozed(DateTimeOffset now) => SnoozedUntil is { } until && now < until;

    /// <summary>True when a crossing was recorded, its post (or update) is owed, and the lease of the host that was to make it has run out.</summary>
    public bool PostOverdue(DateTimeOffset now) => Firing && OwedBy is not null && OwedUntil is { } until && now >= until;
}

/// <summary>
/// An alert: the rule people set and the state the checks keep. <see cref="Version"/> is the
/// store's count of saves of this alert (0 for one never saved), so a change can be made only
/// if nobody saved it since it was read (<see cref="IAlertStore.TryReplace"/>).
/// </summary>
public sealed record Alert(AlertRule Rule, AlertState State)
{
    public string Id => Rule.Id;

    public long Version { get; init; }

    // Two reads of the same rule and state are the same alert whichever save they came from: the
    // version is bookkeeping for compare-and-set, not content.
    public bool Equals(Alert? other) => other is not null && Rule == other.Rule && State == other.State;

    public override int GetHashCode() => HashCode.Combine(Rule, State);
}
