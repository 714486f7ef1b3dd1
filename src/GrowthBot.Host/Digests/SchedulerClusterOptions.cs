using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Host.Digests;

/// <summary>
/// How the hosts sharing one PostgreSQL store run digests together (configuration section <c>Scheduler</c>).
/// Read only when <c>Storage__Provider=postgres</c>: then Quartz keeps its triggers in that database
/// (its clustered AdoJobStore), each trigger fires on one host, and a host that stops checking in
/// is written off by the others, which fire its triggers from then on. With LiteDB there is one host
/// and the triggers live in its memory, rebuilt from the store at every start.
/// </summary>
public sealed class SchedulerClusterOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>How often each host records in the database that it is alive. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long past a missed check-in the other hosts wait before they write a host off and take over
    /// its triggers: a host that died is replaced within <see cref="CheckinInterval"/> plus this. It
    /// must stay above the longest pause a live host can have (a garbage collection, a starved CPU),
    /// or a live host's running digests are recovered elsewhere too. Default 20 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The longest a dead host's triggers wait for another host: one check-in interval plus the threshold.</summary>
    public TimeSpan TakeoverWithin => CheckinInterval + CheckinMisfireThreshold;
}
