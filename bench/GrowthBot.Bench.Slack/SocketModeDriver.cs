using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace GrowthBot.Bench.Slack;

/// <summary>
/// The open-loop load over Socket Mode: Slack's side of the WebSocket the host opened. Each
/// planned send is an <c>events_api</c> envelope with an envelope id of its own (a repeat is a
/// new envelope around the same event, <c>retry_attempt</c> 1, as Slack re-sends); its ack time
/// is from handing the envelope to the socket to reading its <c>envelope_id</c> back.
/// </summary>
internal sealed class SocketModeDriver(WebSocket socket) : IDisposable
{
    private readonly ConcurrentDictionary<string, (SendOutcome Outcome, bool IsRepeat, TaskCompletionSource Acked)> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private int _acknowledgedOriginals;
    private int _envelopes;

    public int AcknowledgedOriginals => Volatile.Read(ref _acknowledgedOriginals);

    public void Dispose() => _sending.Dispose();

    /// <summary>Reads acknowledgements until the socket closes or <paramref name="cancellationToken"/> ends the run.</summary>
    public async Task ReadAcksAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var now = Stopwatch.GetTimestamp();
                using var ack = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                if (ack.RootElement.TryGetProperty("envelope_id", out var id) && id.GetString() is { } envelopeId && _waiting.TryRemove(envelopeId, out var waiting))
                {
                    waiting.Outcome.AckTicks = now - waiting.Outcome.StartedAt;
                    waiting.Outcome.Status = 200;
                    if (!waiting.IsRepeat) Interlocked.Increment(ref _acknowledgedOriginals);
                    waiting.Acked.TrySetResult();
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The run is over, or the host went away (then the waiting sends are reported unacknowledged).
        }
    }

    /// <summary>Sends the plan on its schedule; returns once every envelope is acknowledged or <paramref name="hardLimit"/> passed.</summary>
    public async Task<SendOutcome[]> RunAsync(IReadOnlyList<PlannedSend> plan, IReadOnlyList<BenchEvent> events, TimeSpan hardLimit)
    {
        var outcomes = new SendOutcome[plan.Count];
        var acks = new Task[plan.Count];
        for (var k = 0; k < plan.Count; k++)
        {
            outcomes[k] = new SendOutcome();
            acks[k] = Task.CompletedTask;
        }
        await OpenLoopDriver.Schedule(plan, hardLimit, "socket load scheduler", (k, start) => acks[k] = SendAsync(plan[k], events[plan[k].Item], outcomes[k], start));
        await Task.WhenAny(Task.WhenAll(acks), Task.Delay(hardLimit));
        return outcomes;
    }

    private async Task SendAsync(PlannedSend planned, BenchEvent benchEvent, SendOutcome outcome, long start)
    {
        var envelopeId = $"bench-{Interlocked.Increment(ref _envelopes):D8}";
        var envelope = Envelope(envelopeId, benchEvent.Body, planned.IsRepeat);
        var acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _sending.WaitAsync();
        try
        {
            var startedAt = Stopwatch.GetTimestamp();
            outcome.LagTicks = Math.Max(0, startedAt - start - planned.DueTicks);
            outcome.StartedAt = startedAt;
            _waiting[envelopeId] = (outcome, planned.IsRepeat, acked);
            await socket.SendAsync(envelope, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException)
        {
            outcome.Error = exception.GetType().Name;
            _waiting.TryRemove(envelopeId, out _);
            return;
        }
        finally
        {
            _sending.Release();
        }
        await acked.Task;
    }

    /// <summary>An events_api envelope as Slack sends it, around the event's Events API body.</summary>
    private static byte[] Envelope(string envelopeId, byte[] body, bool isRepeat)
    {
        var text = new StringBuilder(body.Length + 200)
            .Append("{\"envelope_id\":\"").Append(envelopeId).Append("\",\"payload\":")
            .Append(Encoding.UTF8.GetString(body))
            .Append(",\"type\":\"events_api\",\"accepts_response_payload\":false,\"retry_attempt\":")
            .Append(isRepeat ? "1,\"retry_reason\":\"timeout\"}" : "0,\"retry_reason\":\"\"}");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
