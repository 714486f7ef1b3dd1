using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Core.Alerts;

/// <summary>Metric alert settings (configuration section <c>Alerts</c>).</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>
    /// How often every alert is checked besides after each data change, so windows that move with
    /// the clock (the last 7 days) are followed even when no data arrives. Default 15 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The fewest answers (surveys) or customers (revenue and customer rates) a period needs before an
    /// alert may fire on it, so one response of one cannot trigger it. Counts (new customers) are
    /// their own volume and are not held to it. Default 30, as for a survey change's verdict.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MinimumSample { get; set; } = 30;

    /// <summary>How many earlier periods of the same length "unusual" learns from. Default 8.</summary>
    [Range(3, 52)]
    public int HistoryPeriods { get; set; } = 8;

    /// <summary>How many alerts one company may have. Default 1,000.</summary>
    [Range(1, 100_000)]
    public int MaxAlerts { get; set; } = 1000;

    /// <summary>
    /// How long the host that recorded a crossing has to post it before another check (on any host)
    /// takes the owed post over: it must outlast the slowest post, and it is the longest a crossing waits
    /// when that host dies between recording and posting. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan PostLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether alerts may be set in, and posted to, conversations people outside the company can read. Off by default.</summary>
    public bool AllowOutsideAudiences { get; set; }
}
