using GrowthBot.Core.Digests;
using Microsoft.Extensions.Options;
using Quartz;

namespace GrowthBot.Host.Digests;

/// <summary>
/// Quartz triggers for digests: at start one cron trigger per subscription, rebuilt from the store
/// (the scheduler keeps nothing itself), in the subscription's time zone, and the repeating sweep
/// that starts at once; afterwards kept in step as subscriptions change. A cron fire that was
/// missed does nothing (misfire policy): the sweep delivers it, once, within the grace period.
/// </summary>
internal sealed partial class QuartzDigestTriggers(
    ISchedulerFactory schedulers,
    ISubscriptionStore store,
    IOptions<DigestOptions> options,
    TimeProvider time,
    ILogger<QuartzDigestTriggers> logger) : IDigestTriggers, IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.AddJob(JobBuilder.Create<DigestJob>().WithIdentity(DigestJob.Key).StoreDurably().Build(), AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        await scheduler.AddJob(JobBuilder.Create<DigestSweepJob>().WithIdentity(DigestSweepJob.Key).StoreDurably().Build(), AddJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        var subscriptions = store.All();
        foreach (var subscription in subscriptions) await ScheduleAsync(subscription, cancellationToken).ConfigureAwait(false);
        // Triggers compute their fire times from the clock they are built with; Quartz defaults
        // that to the system clock, so every builder is handed the host's (a test's fake one).
        var sweep = TriggerBuilder.Create(time)
            .WithIdentity(new TriggerKey("digest-sweep", "digests"))
            .ForJob(DigestSweepJob.Key)
            .StartAt(time.GetUtcNow())
            .WithSimpleSchedule(schedule => schedule.WithInterval(options.Value.SweepInterval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
            .Build();
        await scheduler.ScheduleJob(sweep, ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        LogScheduled(subscriptions.Count, options.Value.SweepInterval);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ScheduleAsync(DigestSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        var key = TriggerKeyFor(subscription.Id);
        await scheduler.UnscheduleJob(key, cancellationToken).ConfigureAwait(false);
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(subscription.TimeZone, out var zone))
        {
            LogUnknownZone(subscription.Id, subscription.TimeZone);
            return;
        }
        await scheduler.ScheduleJob(TriggerFor(subscription, zone, time), ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
    }

    public async Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.UnscheduleJob(TriggerKeyFor(subscriptionId), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The cron trigger for a subscription: its days and time, in its zone, doing nothing on a
    /// misfire, starting now on <paramref name="clock"/> and computing its fire times from it.
    /// </summary>
    public static ITrigger TriggerFor(DigestSubscription subscription, TimeZoneInfo zone, TimeProvider clock) => TriggerBuilder.Create(clock)
        .WithIdentity(TriggerKeyFor(subscription.Id))
        .ForJob(DigestJob.Key)
        .UsingJobData(DigestJob.SubscriptionKey, subscription.Id)
        .StartAt(clock.GetUtcNow())
        .WithCronSchedule(DigestCron.For(subscription.Schedule), cron => cron.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
        .Build();

    public static TriggerKey TriggerKeyFor(string subscriptionId) => new($"digest-{subscriptionId}", "digests");

    [LoggerMessage(Level = LogLevel.Information, Message = "Digests: {Count} subscriptions scheduled; looking for due, undelivered digests every {Interval}")]
    private partial void LogScheduled(int count, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest subscription {Subscription} names time zone {Zone}, which this machine does not know; it is not scheduled")]
    private partial void LogUnknownZone(string subscription, string zone);
}
