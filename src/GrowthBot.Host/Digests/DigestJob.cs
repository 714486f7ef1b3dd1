using GrowthBot.Core.Digests;
using Quartz;

namespace GrowthBot.Host.Digests;

/// <summary>A subscription's trigger fired: a thin shell around <see cref="DigestDelivery.DeliverDueAsync"/>.</summary>
/// <remarks>Not <c>DisallowConcurrentExecution</c>: one job serves every subscription's trigger, and they may fire together.
/// Stopping the host does not cut a delivery off: it runs on until it is recorded, or until the
/// shutdown timeout gives it up (DigestDelivery watches that itself).</remarks>
internal sealed class DigestJob(DigestDelivery delivery, IHostApplicationLifetime lifetime) : IJob
{
    public const string SubscriptionKey = "subscription";

    public static readonly JobKey Key = new("digest", "digests");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.MergedJobDataMap.GetString(SubscriptionKey);
        // Fired while the host stops: not started, so the next start's sweep sends it (within the grace period).
        if (id is null || lifetime.ApplicationStopping.IsCancellationRequested) return;
        await delivery.DeliverDueAsync(id, CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>Every few minutes (and at start): deliver what is due and not delivered — missed, failed, interrupted.</summary>
[DisallowConcurrentExecution]
internal sealed class DigestSweepJob(DigestDelivery delivery, IHostApplicationLifetime lifetime) : IJob
{
    public static readonly JobKey Key = new("digest-sweep", "digests");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Stopping keeps the sweep from starting more deliveries; the ones sending finish.
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            await delivery.SweepAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (either.IsCancellationRequested)
        {
            // Stopping: what was not started is due and undelivered, so the next start's sweep sends it.
        }
    }
}
