namespace GrowthBot.Core.Digests;

/// <summary>
/// Keeps the host's timers in step with the subscriptions: told when one is added, changed or
/// removed. The host implements it with Quartz triggers; without a host nothing needs telling.
/// </summary>
public interface IDigestTriggers
{
    Task ScheduleAsync(DigestSubscription subscription, CancellationToken cancellationToken);

    Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken);
}

/// <summary>For processes without a scheduler (the command line).</summary>
internal sealed class NoDigestTriggers : IDigestTriggers
{
    public Task ScheduleAsync(DigestSubscription subscription, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UnscheduleAsync(string subscriptionId, CancellationToken cancellationToken) => Task.CompletedTask;
}
