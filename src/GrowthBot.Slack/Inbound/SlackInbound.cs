using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Surveys;
using GrowthBot.Slack.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace GrowthBot.Slack.Inbound;

/// <summary>
/// What Slack's deliveries share, whether they arrive over HTTP or Socket Mode: settings, clock,
/// inbox, worker, the checks every HTTP request passes, and the handling of events, commands and
/// interactivity, which answers with a transport-neutral <see cref="SlackAck"/>.
/// </summary>
public sealed partial class SlackInbound(
    IOptions<SlackOptions> options,
    TimeProvider time,
    IInbox inbox,
    InboundMessages queue,
    ConversationWorker worker,
    SlackIdentityCache identity,
    SlackLifecycle lifecycleEvents,
    Installations.SlackInstallations installations,
    IHostApplicationLifetime lifetime,
    ILogger<SlackInbound> logger)
{
    public SlackOptions Options { get; } = options.Value;
    public TimeProvider Time { get; } = time;
    public SlackIdentityCache Identity { get; } = identity;
    public ConversationWorker Worker { get; } = worker;

    // Anyone can send forgeries: one line per interval, with the count, instead of one per request.
    private readonly Core.Diagnostics.RefusalThrottle _refusals = new(time, Core.Diagnostics.RefusalThrottle.DefaultInterval);

    /// <summary>The raw body if the request may be handled, or the response that refuses it.</summary>
    internal async Task<(byte[]? Body, IResult? Refusal)> AuthenticateAsync(HttpContext context, bool allowSslCheck)
    {
        if (string.IsNullOrWhiteSpace(Options.SigningSecret) || !Options.HasBotCredentials)
        {
            if (Options.UsesSocketMode)
            {
                return (null, Results.Json(new { error = "This GrowthBot receives Slack over Socket Mode; its HTTP endpoints need Slack__SigningSecret." }, statusCode: StatusCodes.Status503ServiceUnavailable));
            }
            return (null, Results.Json(new { error = "Slack is not configured on this GrowthBot: set Slack__BotToken and Slack__SigningSecret." }, statusCode: StatusCodes.Status503ServiceUnavailable));
        }
        var body = await SlackRequestBody.ReadAsync(context.Request, Options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            LogTooLarge(context.Request.Path, Options.MaxRequestBytes);
            return (null, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }
        if (allowSslCheck && SlackFormMapper.IsSslCheck(SlackFormMapper.Parse(body))) return (body, null);

        var check = SlackSignature.Verify(
            context.Request.Headers["X-Slack-Request-Timestamp"], context.Request.Headers["X-Slack-Signature"],
            body, Options.SigningSecret!, Time.GetUtcNow(), Options.SignatureTolerance);
        if (check != SignatureCheck.Valid)
        {
            if (_refusals.ShouldLog(out var unlogged)) LogRefused(context.Request.Path, check, context.Connection.RemoteIpAddress?.ToString(), unlogged, _refusals.Interval);
            return (null, Results.Json(new { error = "invalid or missing Slack signature" }, statusCode: StatusCodes.Status401Unauthorized));
        }
        // Slack sends UTF-8; JsonDocument only notices broken UTF-8 inside a string when it is read, deep in the mapping.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return (null, Results.BadRequest(new { error = "the body is not valid UTF-8" }));
        return (body, null);
    }

    /// <summary>An Events API payload (from HTTP or a Socket Mode envelope): recorded and acknowledged, or answered as a protocol chore.</summary>
    internal SlackAck HandleEvent(JsonElement payload, string retryNumber)
    {
        var identity = Identity.Identity;
        // With installations in many workspaces the bot is a different user in each: Slack names it in the event's authorizations.
        var workspace = payload.ValueKind == JsonValueKind.Object ? Installations.SlackWorkspace.OfEvent(payload) : null;
        var botUser = (payload.ValueKind == JsonValueKind.Object ? Installations.SlackWorkspace.BotUserOfEvent(payload) : null)
            ?? installations.BotUserId(workspace) ?? identity?.UserId;
        switch (SlackEventMapper.Map(payload, botUser, identity?.BotId, Time.GetUtcNow(), workspace))
        {
            case SlackEventOutcome.Challenge challenge:
                return SlackAck.Json(new JsonObject { ["challenge"] = challenge.Value });
            case SlackEventOutcome.Message message:
                Accept(message.Incoming, retryNumber);
                return SlackAck.Ok();
            case SlackEventOutcome.Lifecycle lifecycle:
                // Acknowledged at once; the Web API calls it needs (a hello, the Home tab) happen after.
                lifecycleEvents.Accept(lifecycle, lifetime.ApplicationStopping);
                return SlackAck.Ok();
            case SlackEventOutcome.Invalid invalid:
                return SlackAck.BadRequest(invalid.Reason);
            default:
                return SlackAck.Ok();
        }
    }

    /// <summary>A slash command (form fields over HTTP, the same fields as JSON over Socket Mode).</summary>
    internal async Task<SlackAck> HandleCommandAsync(Dictionary<string, StringValues> form, CancellationToken aborted)
    {
        var command = form.TryGetValue("command", out var name) ? name.ToString() : string.Empty;
        if (!string.Equals(command, Options.CommandName, StringComparison.OrdinalIgnoreCase))
        {
            return SlackAck.Ephemeral($"I don't know the command {command}. Try {Options.CommandName} help.");
        }
        var message = SlackFormMapper.Command(form, Time.GetUtcNow());
        if (message is null) return SlackAck.BadRequest("the command is missing team_id, user_id, channel_id or trigger_id");
        if (message.Text.Length == 0) message = message with { Text = "help" };
        return await AnswerWithinBudgetAsync(message, stopping => Worker.AnswerAsync(message, stopping), aborted).ConfigureAwait(false);
    }

    /// <summary>An interactive payload: button presses (block_actions) and modal submissions.</summary>
    internal async Task<SlackAck> HandleInteractiveAsync(JsonElement payload)
    {
        var type = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "block_actions":
                if (SlackFormMapper.Action(payload, Time.GetUtcNow()) is not { Press: { } action } press) return SlackAck.Ok();
                return await AnswerActionAsync(press, action).ConfigureAwait(false);
            case "view_submission":
                // Closes a modal. Survey comments come from an input block in the message itself (state.values of block_actions).
                return SlackAck.Json(new JsonObject());
            default:
                return SlackAck.Ok();
        }
    }

    /// <summary>Records the message and queues it for the worker; a retry or duplicate is acknowledged and dropped.</summary>
    internal bool Accept(IncomingMessage message, string retryNumber)
    {
        if (!inbox.TryAccept(message))
        {
            LogDuplicate(message.DeliveryId, string.IsNullOrEmpty(retryNumber) ? "0" : retryNumber);
            return false;
        }
        queue.Enqueue(message);
        return true;
    }

    /// <summary>
    /// A button press. Slack ignores the HTTP body of block_actions, so the press is acknowledged
    /// with an empty 200 and the answer goes to its response_url (replacing the message when the
    /// answer says so). A press already accepted (a replay) is acknowledged and not handled again.
    /// Survey presses are acknowledged only after the answer is committed to the store (with the
    /// press's delivery id, which is how a replay is recognised), so an
    /// acknowledged answer survives a crash; if the write fails the press is refused with 503 and
    /// the person can press again. Other buttons are acknowledged at once and answered after.
    /// </summary>
    internal async Task<SlackAck> AnswerActionAsync(IncomingMessage message, IncomingAction action)
    {
        var stopping = lifetime.ApplicationStopping;
        if (!SurveyMessages.IsSurveyAction(action.ActionId))
        {
            if (!inbox.TryAccept(message))
            {
                LogDuplicate(message.DeliveryId, "replayed press");
                return SlackAck.Ok();
            }
            _ = ContinueLaterAsync(message, Task.Run(() => Worker.AnswerActionAsync(action, stopping), stopping), stopping);
            return SlackAck.Ok();
        }
        // A survey press records its delivery id with the answer, in the same transaction (not in the
        // inbox, a transaction of its own): a replay is recognised there, and nothing is left pending.
        ChatMessage? reply;
        try
        {
            reply = await Worker.AnswerActionAsync(action, stopping, resolveRequester: false).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Not committed: refuse the acknowledgement so Slack shows the press failed; the person can press again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogSurveyWriteFailed(exception, message.DeliveryId);
            return new SlackAck(StatusCodes.Status503ServiceUnavailable);
        }
        _ = ContinueLaterAsync(message, Task.FromResult(reply), stopping, recorded: false);
        return SlackAck.Ok();
    }

    /// <summary>
    /// For slash commands: answers in the HTTP response if the answer is ready within
    /// the budget, else acknowledges with "Working on it…" and delivers the answer to response_url,
    /// where it replaces that placeholder. An inline answer marks the command answered only once the
    /// response has been sent to Slack; if sending it fails the command stays pending and is
    /// answered through its response_url.
    /// </summary>
    internal async Task<SlackAck> AnswerWithinBudgetAsync(IncomingMessage message, Func<CancellationToken, Task<ChatMessage?>> answer, CancellationToken aborted)
    {
        if (!inbox.TryAccept(message)) return SlackAck.Ok();
        var stopping = lifetime.ApplicationStopping;
        var answering = answer(stopping);
        var budget = Task.Delay(SlackEndpoints.InlineAnswerBudget, Time, aborted);
        if (await Task.WhenAny(answering, budget).ConfigureAwait(false) == answering && answering.IsCompletedSuccessfully)
        {
            var reply = answering.Result;
            void Sent(bool delivered)
            {
                // Answered only once the answer went out; if it could not, it goes to the response_url instead.
                if (delivered) inbox.Complete(message);
                else _ = ContinueLaterAsync(message, Task.FromResult(reply), stopping);
            }
            if (reply is null) return new SlackAck(StatusCodes.Status200OK, Sent: Sent);
            var rendered = BlockKitRenderer.Render(reply);
            return SlackAck.Ephemeral(rendered.Text, rendered.Blocks, Sent);
        }
        _ = ContinueLaterAsync(message, answering, stopping);
        return SlackAck.Ephemeral("Working on it…");
    }

    /// <summary>Delivers the answer; <paramref name="recorded"/> false for a message that is not in the inbox (nothing to mark answered).</summary>
    private async Task ContinueLaterAsync(IncomingMessage message, Task<ChatMessage?> answering, CancellationToken stopping, bool recorded = true)
    {
        try
        {
            var reply = await answering.ConfigureAwait(false);
            if (recorded) await Worker.DeliverAsync(message, reply, stopping).ConfigureAwait(false);
            else await Worker.ReplyAsync(message, reply, stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The request has been acknowledged; a failure is logged and the message stays pending for the next start.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogLateAnswerFailed(exception, message.DeliveryId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: signature {Check} (from {Remote}); {Unlogged} more refused since the last such line (at most one line per {Interval})")]
    private partial void LogRefused(string path, SignatureCheck check, string? remote, long unlogged, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Slack request to {Path}: body larger than {Limit} bytes")]
    private partial void LogTooLarge(string path, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack delivery {DeliveryId} was already accepted (retry {Retry}); acknowledged without answering again")]
    private partial void LogDuplicate(string deliveryId, string retry);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording the survey press {DeliveryId} failed; refused with 503 so it is not acknowledged")]
    private partial void LogSurveyWriteFailed(Exception exception, string deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering Slack delivery {DeliveryId} after acknowledging it failed; it stays pending")]
    private partial void LogLateAnswerFailed(Exception exception, string deliveryId);
}
