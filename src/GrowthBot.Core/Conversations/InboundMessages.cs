using System.Threading.Channels;

namespace GrowthBot.Core.Conversations;

/// <summary>
/// Hands accepted messages from the endpoints (which must acknowledge at once) to the
/// <see cref="ConversationWorker"/>. Unbounded: every message in it is already in the durable
/// inbox, so memory, not correctness, is what a flood would cost.
/// </summary>
public sealed class InboundMessages
{
    private readonly Channel<IncomingMessage> _channel = Channel.CreateUnbounded<IncomingMessage>(new UnboundedChannelOptions { SingleReader = false });

    public void Enqueue(IncomingMessage message) => _channel.Writer.TryWrite(message);

    /// <summary>Messages waiting to be started (the metrics' queue depth).</summary>
    public int Count => _channel.Reader.Count;

    public IAsyncEnumerable<IncomingMessage> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}
