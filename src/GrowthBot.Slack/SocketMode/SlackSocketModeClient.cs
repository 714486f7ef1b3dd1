using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Slack.Inbound;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace GrowthBot.Slack.SocketMode;

/// <summary>
/// Slack's Socket Mode, for a GrowthBot with no public URL (<c>Slack__AppToken=xapp-…</c>):
/// <c>apps.connections.open</c> gives a WebSocket URL, Slack says <c>hello</c>, then sends envelopes
/// (<c>events_api</c>, <c>slash_commands</c>, <c>interactive</c>). Each envelope is handed to the same
/// <see cref="SlackInbound"/> handling as the HTTP endpoints (so the same inbox, deduplication and
/// handlers) and acknowledged with its <c>envelope_id</c> (and, where Slack accepts one, the
/// response payload: a slash command's inline answer) as soon as that handling allows, well
/// within Slack's 3 seconds; envelopes are handled side by side, so a slow one never delays the
/// others' acknowledgements. A <c>disconnect</c> (<c>warning</c>, <c>refresh_requested</c>) opens a
/// fresh connection at once; a dropped connection, or one that stops answering pings, is opened
/// again with back-off. An envelope the bot could not take (a survey answer that could not be
/// stored) is not acknowledged, so Slack delivers it again.
/// </summary>
public sealed partial class SlackSocketModeClient(
    SlackWebApiClient client, SlackInbound inbound, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackSocketModeClient> logger) : BackgroundService
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromMinutes(2);
    private readonly SlackOptions _options = options.Value;
    private int _connections;

    /// <summary>How many WebSocket connections have said hello since start.</summary>
    public int Connections => Volatile.Read(ref _connections);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.UsesSocketMode || string.IsNullOrWhiteSpace(_options.BotToken)) return;
        var delay = _options.SocketReconnectDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var planned = false;
            try
            {
                var url = await client.OpenSocketConnectionAsync(_options.AppToken!, stoppingToken).ConfigureAwait(false);
                using var socket = new ClientWebSocket();
                // Slack pings every few seconds; a connection whose pongs stop is dead even if TCP has not noticed.
                socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(10);
                socket.Options.KeepAliveTimeout = TimeSpan.FromSeconds(10);
                await socket.ConnectAsync(url, stoppingToken).ConfigureAwait(false);
                var reason = await RunAsync(socket, stoppingToken).ConfigureAwait(false);
                planned = reason is "warning" or "refresh_requested";
                if (reason is not null) LogDisconnectRequested(reason);
                else LogDropped("the connection was closed");
                if (reason == "link_disabled") LogLinkDisabled();
                await CloseQuietlyAsync(socket).ConfigureAwait(false);
                delay = _options.SocketReconnectDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (SlackApiException exception)
            {
                LogOpenFailed(exception.Error, exception.Error is "invalid_auth" or "not_authed" or "not_allowed_token_type"
                    ? "check Slack__AppToken: an app-level token (xapp-…) with connections:write"
                    : SlackApiException.Describe(exception.Error));
            }
            catch (Exception exception) when (exception is WebSocketException or HttpRequestException or IOException or OperationCanceledException)
            {
                LogDropped(exception.Message);
            }
            if (planned) continue;
            try
            {
                await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(Math.Max(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks), MaxReconnectDelay.Ticks));
        }
    }

    /// <summary>Reads envelopes until Slack asks to disconnect (its reason is returned) or the connection ends (null).</summary>
    private async Task<string?> RunAsync(ClientWebSocket socket, CancellationToken stoppingToken)
    {
        using var sending = new SemaphoreSlim(1, 1);
        var handling = new List<Task>();
        try
        {
            var buffer = new byte[64 * 1024];
            using var message = new MemoryStream();
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, stoppingToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close) return null;
                message.Write(buffer, 0, received.Count);
                if (message.Length > _options.MaxRequestBytes) throw new WebSocketException("an envelope larger than Slack__MaxRequestBytes");
                if (!received.EndOfMessage) continue;
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (received.MessageType != WebSocketMessageType.Text) continue;

                JsonElement envelope;
                try
                {
                    envelope = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                    LogMalformed();
                    continue;
                }
                switch (Text(envelope, "type"))
                {
                    case "hello":
                        Interlocked.Increment(ref _connections);
                        LogHello(envelope.TryGetProperty("num_connections", out var count) && count.TryGetInt32(out var n) ? n : 1);
                        break;
                    case "disconnect":
                        return Text(envelope, "reason") ?? "unknown";
                    case "events_api" or "slash_commands" or "interactive":
                        handling.RemoveAll(task => task.IsCompleted);
                        handling.Add(HandleAsync(socket, sending, envelope, stoppingToken));
                        break;
                    case var other:
                        LogUnknownEnvelope(other ?? "(none)");
                        break;
                }
            }
            return null;
        }
        finally
        {
            await Task.WhenAll(handling).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task HandleAsync(ClientWebSocket socket, SemaphoreSlim sending, JsonElement envelope, CancellationToken stoppingToken)
    {
        var envelopeId = Text(envelope, "envelope_id");
        if (envelopeId is null || !envelope.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
        {
            LogMalformed();
            return;
        }
        SlackAck ack;
        try
        {
            ack = Text(envelope, "type") switch
            {
                "events_api" => inbound.HandleEvent(payload, envelope.TryGetProperty("retry_attempt", out var retry) && retry.TryGetInt32(out var attempt) ? attempt.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0"),
                "slash_commands" => await inbound.HandleCommandAsync(Form(payload), stoppingToken).ConfigureAwait(false),
                _ => await inbound.HandleInteractiveAsync(payload).ConfigureAwait(false),
            };
        }
#pragma warning disable CA1031 // One envelope failing is logged and left unacknowledged (Slack delivers it again); it must not end the connection.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogHandlingFailed(exception, envelopeId);
            return;
        }
        if (ack.Status != 200)
        {
            LogNotAcknowledged(envelopeId, ack.Status);
            ack.Sent?.Invoke(false);
            return;
        }
        var reply = new JsonObject { ["envelope_id"] = envelopeId };
        if (ack.Body is not null && envelope.TryGetProperty("accepts_response_payload", out var accepts) && accepts.ValueKind == JsonValueKind.True)
        {
            reply["payload"] = ack.Body.DeepClone();
        }
        var sent = false;
        await sending.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(reply.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, stoppingToken).ConfigureAwait(false);
            sent = true;
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException)
        {
            LogAckFailed(envelopeId, exception.Message);
        }
        finally
        {
            sending.Release();
        }
        ack.Sent?.Invoke(sent);
    }

    /// <summary>A slash command's payload over Socket Mode has the form fields of the HTTP request, as JSON strings.</summary>
    private static Dictionary<string, StringValues> Form(JsonElement payload)
    {
        var form = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var field in payload.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.String) form[field.Name] = field.Value.GetString();
        }
        return form;
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // Closing a connection that is already gone.
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: connected ({Connections} connection(s) open for this app)")]
    private partial void LogHello(int connections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack Socket Mode: Slack asked to disconnect ({Reason}); connecting again")]
    private partial void LogDisconnectRequested(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: the connection was disabled (link_disabled): turn Socket Mode on in the app's settings, or unset Slack__AppToken to use the HTTP endpoints")]
    private partial void LogLinkDisabled();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: connection lost ({Reason}); connecting again")]
    private partial void LogDropped(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: apps.connections.open failed with {Error}: {Meaning}")]
    private partial void LogOpenFailed(string error, string meaning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: a message that is not a JSON envelope was ignored")]
    private partial void LogMalformed();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Slack Socket Mode: envelope type {Type} ignored")]
    private partial void LogUnknownEnvelope(string type);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack Socket Mode: handling envelope {EnvelopeId} failed; not acknowledged, so Slack delivers it again")]
    private partial void LogHandlingFailed(Exception exception, string envelopeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: envelope {EnvelopeId} not acknowledged ({Status}); Slack delivers it again")]
    private partial void LogNotAcknowledged(string envelopeId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack Socket Mode: acknowledging envelope {EnvelopeId} failed ({Reason})")]
    private partial void LogAckFailed(string envelopeId, string reason);
}
