using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Core.Conversations;

/// <summary>Settings of the inbound pipeline (configuration section <c>Conversations</c>).</summary>
public sealed class ConversationOptions
{
    public const string SectionName = "Conversations";

    /// <summary>
    /// A message still unanswered this long after it arrived is given up (logged and marked done)
    /// instead of being tried again at every start: its asker has long moved on, and Slack's
    /// response_urls expire after 30 minutes. Default 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan PendingMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait before a failed answer is tried again the first time; it doubles at each failure. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryFirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two tries of a failed answer. Default 15 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Several hosts on one PostgreSQL store: a host renews its claims on the messages it accepted every third
    /// of this, and the other hosts take over the unanswered messages of a host whose claims are this old
    /// (it died or was stopped), looking every third of it. So a dead host's pending messages are answered
    /// by a survivor within about 1⅓ times this. Keep it above the longest pause a live host can have, or a
    /// message may be answered twice. Not used with LiteDB (one host). Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);
}
