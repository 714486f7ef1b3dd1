namespace GrowthBot.Core.Conversations;

/// <summary>
/// Completes what the edge could not know without a platform call (is this Slack user a guest,
/// which workspace are they from?). Called by the worker, off the acknowledgement path.
/// </summary>
public interface IRequesterDirectory
{
    ChatPlatform Platform { get; }

    Task<Requester> ResolveAsync(Requester requester, CancellationToken cancellationToken);
}
