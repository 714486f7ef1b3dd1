using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Core.Digests;

/// <summary>Digest settings (configuration section <c>Digests</c>).</summary>
public sealed class DigestOptions
{
    public const string SectionName = "Digests";

    /// <summary>At most this many metrics per digest, the ones that moved most. Default 6.</summary>
    [Range(1, 12)]
    public int MaxMetrics { get; set; } = 6;

    /// <summary>At most this many survey comments per digest. Default 3.</summary>
    [Range(0, 10)]
    public int MaxComments { get; set; } = 3;

    /// <summary>How many periods the trend chart shows. Default 12.</summary>
    [Range(2, 52)]
    public int TrendPeriods { get; set; } = 12;

    /// <summary>A digest missed while the host was down (or not delivered yet) is still sent this long after it was due, marked late. Default 6 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How often the host looks for digests that are due but not delivered (missed, failed, interrupted). Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per delivery run for transient failures, backing off between them; then it is left to the next sweep. Default 3.</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>The first back-off between attempts; it doubles each time. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On a store several hosts share (PostgreSQL): how old a digest claim left "sending" by another host
    /// must be before a sweep takes it over. A host that dies mid-send has its digest sent by another
    /// host's sweep at most this long (plus one <see cref="SweepInterval"/>) later; a live host's send,
    /// with its retries, always finishes well within it. One host on LiteDB resumes at once. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many conversations are delivered to at once. Default 8.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = 8;

    /// <summary>
    /// Whether digests may go to conversations people outside the company can read (Slack Connect
    /// channels, channels with guests). Off by default: subscribing there is refused, and a
    /// subscription whose channel becomes shared is paused.
    /// </summary>
    public bool AllowOutsideAudiences { get; set; }
}
