using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// One Socket Mode connection as Slack's side sees it: the test sends envelopes (the shapes Slack
/// sends: events_api, slash_commands, interactive, disconnect) and reads what the bot sent back.
/// </summary>
internal sealed class FakeSlackSocket(WebSocket socket, string ticket)
{
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Ticket { get; } = ticket;

    public Task Closed => _closed.Task;

    public async Task SendAsync(object message)
    {
        await _sending.WaitAsync();
        try
        {
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>An events_api envelope around an Events API payload.</summary>
    public Task SendEventAsync(string envelopeId, string eventCallbackJson, int retryAttempt = 0) => SendAsync(new
    {
        envelope_id = envelopeId,
        payload = JsonDocument.Parse(eventCallbackJson).RootElement,
        type = "events_api",
        accepts_response_payload = false,
        retry_attempt = retryAttempt,
        retry_reason = retryAttempt == 0 ? "" : "timeout",
    });

    /// <summary>Slack asks the client to go away: reason warning, refresh_requested or link_disabled.</summary>
    public Task SendDisconnectAsync(string reason) => SendAsync(new { type = "disconnect", reason, debug_info = new { host = "applink-7fc4fdbb64-4x5xq" } });

    /// <summary>The next message the bot sent on this connection (an acknowledgement).</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(20));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Drops the connection without a close handshake, as a proxy or a network failure does.</summary>
    public void Abort() => socket.Abort();

    public async Task RunAsync(CancellationToken aborted)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    break;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                _received.Writer.TryWrite(JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The bot went away or the connection was aborted.
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
