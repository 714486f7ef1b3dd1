using GrowthBot.Core.Digests;
using Quartz;

namespace GrowthBot.Host.Digests;

/// <summary>A subscription's trigger fired: a thin shell around <see cref="DigestDelivery.DeliverDueAsync"/>.</summary>
/// <remarks>Not <c>DisallowConcurrentExecution</c>: one job serves every subscription's trigger, and they may fire together.</remarks>
internal sealed class DigestJob(DigestDelivery delivery) : IJob
{
    public const string SubscriptionKey = "subscription";

    public static readonly JobKey Key = new("digest", "digests");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.MergedJobDataMap.GetString(SubscriptionKey);
        if (id is null) return;
        await delivery.DeliverDueAsync(id, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Every few minutes (and at start): deliver what is due and not delivered — missed, failed, interrupted.</summary>
[DisallowConcurrentExecution]
internal sealed class DigestSweepJob(DigestDelivery delivery) : IJob
{
    public static readonly JobKey Key = new("digest-sweep", "digests");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await delivery.SweepAsync(cancellationToken).ConfigureAwait(false);
    }
}
