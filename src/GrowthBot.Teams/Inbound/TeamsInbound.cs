using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Auth;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Rendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Inbound;

/// <summary>
/// What <c>/api/messages</c> does besides routing: authenticate, remember conversations, accept
/// messages into the inbox and queue, answer card actions, greet on install.
/// </summary>
internal sealed partial class TeamsInbound
{
    private readonly TeamsOptions _options;
    private readonly BotFrameworkTokenValidator _validator;
    private readonly IInbox _inbox;
    private readonly InboundMessages _queue;
    private readonly ConversationWorker _worker;
    private readonly IConversationDirectory _directory;
    private readonly TeamsConnectorClient _connector;
    private readonly TeamsBotIdentity _identity;
    private readonly UserSightings _sightings;
    private readonly TeamsChatSender _sender;
    private readonly TeamsImageCache _images;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<TeamsInbound> _logger;
    private readonly TeamsAccessMode _mode;
    private readonly ServiceUrlAllowList _serviceUrls;
    private readonly TeamsAnswers _answers;
    private readonly ConcurrentDictionary<string, string?> _remembered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _welcomed = new(StringComparer.Ordinal);

    public TeamsInbound(
        IOptions<TeamsOptions> options,
        TimeProvider time,
        BotFrameworkTokenValidator validator,
        IInbox inbox,
        InboundMessages queue,
        ConversationWorker worker,
        IConversationDirectory directory,
        TeamsConnectorClient connector,
        TeamsBotIdentity identity,
        UserSightings sightings,
        TeamsChatSender sender,
        TeamsImageCache images,
        IHostApplicationLifetime lifetime,
        TeamsMode mode,
        ILogger<TeamsInbound> logger,
        TeamsAnswers answers)
    {
        _answers = answers;
        _mode = mode.Access;
        _serviceUrls = ServiceUrlAllowList.For(options.Value);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        Time = time;
        _refusals = new Core.Diagnostics.RefusalThrottle(time, Core.Diagnostics.RefusalThrottle.DefaultInterval);
        _validator = validator;
        _inbox = inbox;
        _queue = queue;
        _worker = worker;
        _directory = directory;
        _connector = connector;
        _identity = identity;
        _sightings = sightings;
        _sender = sender;
        _images = images;
        _lifetime = lifetime;
        _logger = logger;
    }

    public TimeProvider Time { get; }

    private readonly Core.Diagnostics.RefusalThrottle _refusals;

    /// <summary>The activity if the request may be handled, or the response that refuses it. Never throws for bad input.</summary>
    internal async Task<(TeamsActivity? Activity, IResult? Refusal)> AuthenticateAsync(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        var authorization = context.Request.Headers.Authorization.ToString();
        if (_mode == TeamsAccessMode.NotConfigured)
        {
            LogNotConfigured(remote?.ToString());
            return (null, Results.Json(new { error = "Teams is not configured on this host" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        }
        if (_mode == TeamsAccessMode.UnauthenticatedLoopback)
        {
            if (!Loopback.IsLoopback(remote))
            {
                LogRefused("development mode accepts requests from this machine only", remote?.ToString());
                return (null, Unauthorized());
            }
            if (IsForwarded(context.Request))
            {
                // A reverse proxy on this machine makes every caller look local: a proxied request is not from this machine.
                LogRefused("development mode refuses requests forwarded by a proxy", remote?.ToString());
                return (null, Unauthorized());
            }
        }
        else if (string.IsNullOrWhiteSpace(authorization))
        {
            LogRefused("no bearer token", remote?.ToString());
            return (null, Unauthorized());
        }

        var body = await TeamsRequestBody.ReadAsync(context.Request, _options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            LogTooLarge(_options.MaxRequestBytes, remote?.ToString());
            return (null, Results.StatusCode(StatusCodes.Status413PayloadTooLarge));
        }

        TokenCheck? check = null;
        if (_mode == TeamsAccessMode.Authenticated)
        {
            // The token is checked before the body is even parsed: strangers learn nothing about what we accept.
            check = await _validator.ValidateAsync(authorization, context.RequestAborted).ConfigureAwait(false);
            if (check.KeysUnavailable) return (null, Results.Json(new { error = "the Bot Framework signing keys are unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable));
            if (!check.IsValid)
            {
                LogRefused(check.Reason, remote?.ToString());
                return (null, Unauthorized());
            }
        }

        // JsonDocument does not check the UTF-8 inside strings until they are read, deep in the mapping: check it here.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return (null, Results.BadRequest(new { error = "the body is not valid UTF-8" }));
        if (TeamsEndpoints.ParseObject(body) is not { } json) return (null, Results.BadRequest(new { error = "the body is not a JSON activity" }));
        var activity = TeamsActivity.Parse(json);

        if (check is not null)
        {
            if (!check.IsEndorsedFor(activity.ChannelId))
            {
                LogRefused($"the signing key is not endorsed for channel {activity.ChannelId}", remote?.ToString());
                return (null, Unauthorized());
            }
            if (!check.AllowsServiceUrl(activity.ServiceUrl, _serviceUrls))
            {
                LogRefused("the token does not authorise the activity's serviceUrl (no matching serviceurl claim, and not a Teams service URL)", remote?.ToString());
                return (null, Unauthorized());
            }
        }
        _identity.Learn(activity.Recipient?.Id);
        return (activity, null);
    }

    /// <summary>Whether an account is this bot (the activity's recipient, or the configured app).</summary>
    internal Func<TeamsAccount, bool> IsBot(TeamsActivity activity) => account => _identity.IsBot(account.Id, activity.Recipient?.Id);

    /// <summary>Remembers where a message came from (once per conversation and service URL) and where its sender can be looked up.</summary>
    internal void See(KnownConversation conversation, IncomingMessage message, TeamsAccount? sender)
    {
        if (!_remembered.TryGetValue(conversation.ConversationId, out var route) || route != conversation.Route)
        {
            _directory.Remember(conversation);
            _remembered[conversation.ConversationId] = conversation.Route;
        }
        if (message.ReplyAddress is { } serviceUrl && Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri))
        {
            _sightings.Saw(message.From.UserId, uri, conversation.ConversationId, sender?.Id ?? message.From.UserId, message.From.OrganisationId);
        }
    }

    /// <summary>Records the message and queues it for the worker; a duplicate activity is acknowledged and dropped.</summary>
    internal bool Accept(IncomingMessage message)
    {
        if (!_inbox.TryAccept(message))
        {
            LogDuplicate(message.DeliveryId);
            return false;
        }
        _queue.Enqueue(message);
        return true;
    }

    /// <summary>
    /// Action.Submit: acknowledged at once, answered afterwards. A reply that replaces the original
    /// updates the card's activity; any other reply is posted beside it.
    /// </summary>
    internal void AnswerSubmit(TeamsInboundOutcome.Submit submit)
    {
        if (!_inbox.TryAccept(submit.Record))
        {
            LogDuplicate(submit.Record.DeliveryId);
            return;
        }
        var stopping = _lifetime.ApplicationStopping;
        // Off the request: the acknowledgement must not wait for a handler that does its work before its first await.
        var answering = Task.Run(() => _worker.AnswerActionAsync(submit.Action, stopping), stopping);
        _ = DeliverActionAsync(submit.Record, answering, submit.CardActivityId, stopping);
    }

    /// <summary>
    /// Action.Execute: answered in the HTTP response when the answer is ready within the budget —
    /// the refreshed card when it replaces the original, else a short note while the answer is
    /// posted beside the card. Over budget, "Working on it…" now and the answer afterwards.
    /// </summary>
    internal async Task<JsonObject> AnswerExecuteAsync(TeamsInboundOutcome.Execute execute, CancellationToken requestAborted)
    {
        if (!_inbox.TryAccept(execute.Record))
        {
            LogDuplicate(execute.Record.DeliveryId);
            return AdaptiveCardRenderer.InvokeMessageResponse("Already done.");
        }
        var stopping = _lifetime.ApplicationStopping;
        var answering = _worker.AnswerActionAsync(execute.Action, stopping);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var timer = Task.Delay(TeamsEndpoints.InvokeBudget, Time, budget.Token);
        if (await Task.WhenAny(answering, timer).ConfigureAwait(false) == answering)
        {
            await budget.CancelAsync().ConfigureAwait(false);
            if (answering.IsCompletedSuccessfully)
            {
                var reply = answering.Result;
                if (reply is null)
                {
                    _inbox.Complete(execute.Record);
                    return AdaptiveCardRenderer.InvokeMessageResponse("Done.");
                }
                if (reply.ReplacesOriginal)
                {
                    _inbox.Complete(execute.Record);
                    // The invoke response replaces the card for the person who pressed, on that client only; the
                    // card's activity itself is updated so every other member and client sees it answered too.
                    _ = ShowEveryoneAsync(execute.Record, reply, stopping);
                    return AdaptiveCardRenderer.InvokeCardResponse(reply, _images.Enabled ? _images.UrlFor : null);
                }
                _ = DeliverActionAsync(execute.Record, answering, cardActivityId: null, stopping);
                return AdaptiveCardRenderer.InvokeMessageResponse("Done — my answer is below.");
            }
            LogActionFailed(answering.Exception?.GetBaseException() ?? new InvalidOperationException("cancelled"), execute.Record.DeliveryId);
            _inbox.Complete(execute.Record); // the person was told; a press that failed is not tried again after a restart
            return AdaptiveCardRenderer.InvokeMessageResponse("Sorry, that did not work. Please try again.");
        }
        _ = DeliverActionAsync(execute.Record, answering, execute.Record.ThreadId, stopping);
        return AdaptiveCardRenderer.InvokeMessageResponse("Working on it…");
    }

    /// <summary>
    /// A question was deleted: its answer is deleted too (off the request), when the bot remembers it.
    /// Whoever deleted the question wanted it gone, and the answer often repeats it.
    /// </summary>
    internal void RemoveAnswer(TeamsInboundOutcome.Deleted deleted)
    {
        if (_answers.Forget(deleted.ConversationId, deleted.MessageId) is not { } answer || !Uri.TryCreate(deleted.ServiceUrl, UriKind.Absolute, out var serviceUrl)) return;
        _ = DeleteAnswerAsync(serviceUrl, answer, _lifetime.ApplicationStopping);
    }

    private async Task DeleteAnswerAsync(Uri serviceUrl, TeamsAnswers.Answer answer, CancellationToken stopping)
    {
        try
        {
            await _connector.DeleteAsync(serviceUrl, answer.ConversationId, answer.ActivityId, stopping).ConfigureAwait(false);
            LogAnswerDeleted(answer.ActivityId, answer.ConversationId);
        }
        catch (Exception exception) when (exception is ChatDeliveryException or OperationCanceledException)
        {
            LogAnswerNotDeleted(answer.ActivityId, answer.ConversationId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: the question answered by {ActivityId} in {Conversation} was deleted; the answer was deleted too")]
    private partial void LogAnswerDeleted(string activityId, string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the question answered by {ActivityId} in {Conversation} was deleted, but the answer could not be ({Reason})")]
    private partial void LogAnswerNotDeleted(string activityId, string conversation, string reason);

    /// <summary>Remembers a conversation the bot was added to (or that changed), and greets it on install.</summary>
    internal void Install(TeamsInboundOutcome.Installed installed)
    {
        var conversation = installed.Conversation;
        // Teams announces one install twice (installationUpdate and conversationUpdate): greet only a conversation new to us, once.
        var isNew = _directory.Find(ChatPlatform.Teams, conversation.ConversationId) is null;
        _directory.Remember(conversation);
        _remembered[conversation.ConversationId] = conversation.Route;
        LogRemembered(conversation.Kind, conversation.ConversationId, conversation.OrganisationId);
        if (installed.Welcome && _options.Welcome && isNew && _welcomed.TryAdd(conversation.ConversationId, 0))
        {
            _ = WelcomeAsync(conversation, _lifetime.ApplicationStopping);
        }
    }

    /// <summary>Forgets a conversation the bot was removed from (every channel of the team, when removed from a team).</summary>
    internal void Remove(TeamsInboundOutcome.Removed removed)
    {
        var gone = new List<string> { removed.ConversationId };
        if (removed.TeamId is { } team)
        {
            gone.AddRange(_directory.All(ChatPlatform.Teams).Where(conversation => conversation.TeamId == team).Select(conversation => conversation.ConversationId));
        }
        foreach (var id in gone.Distinct(StringComparer.Ordinal))
        {
            _directory.Forget(ChatPlatform.Teams, id);
            _remembered.TryRemove(id, out _);
            _welcomed.TryRemove(id, out _);
            LogForgot(id);
        }
    }

    internal static ChatMessage Welcome(ConversationKind kind) => ChatMessage.Plain(kind == ConversationKind.Personal
        ? "Hi, I'm GrowthBot. Ask me about our customer-growth metrics in plain words, like \"what's our churn this month?\". Type help to see everything I can do."
        : "Hi, I'm GrowthBot. Mention me with a question about our customer-growth metrics, like \"@GrowthBot what's our NPS this quarter?\", or \"@GrowthBot help\" to see everything I can do.");

    private async Task WelcomeAsync(KnownConversation conversation, CancellationToken stopping)
    {
        try
        {
            await _sender.SendAsync(new ChatAddress(ChatPlatform.Teams, conversation.ConversationId), Welcome(conversation.Kind), stopping).ConfigureAwait(false);
        }
        catch (ChatDeliveryException exception)
        {
            LogWelcomeFailed(conversation.ConversationId, exception.Message);
        }
    }

    private async Task DeliverActionAsync(IncomingMessage record, Task<ChatMessage?> answering, string? cardActivityId, CancellationToken stopping)
    {
        try
        {
            var reply = await answering.ConfigureAwait(false);
            if (reply is not null && reply.ReplacesOriginal && cardActivityId is not null
                && Uri.TryCreate(record.ReplyAddress, UriKind.Absolute, out var serviceUrl))
            {
                await _connector.UpdateAsync(serviceUrl, record.ConversationId, cardActivityId, OutgoingActivity.Message(reply, _identity.BotId, _images), stopping).ConfigureAwait(false);
                _inbox.Complete(record);
                return;
            }
            await _worker.DeliverAsync(record, reply, stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The press has been acknowledged; a failure is logged and the record stays pending.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            // A press that failed is not tried again at the next start (only one a crash interrupted is): logged, and the person can press again.
            LogActionFailed(exception, record.DeliveryId);
            _inbox.Complete(record);
        }
    }

    private async Task ShowEveryoneAsync(IncomingMessage record, ChatMessage reply, CancellationToken stopping)
    {
        if (record.ThreadId is not { Length: > 0 } cardActivityId || !Uri.TryCreate(record.ReplyAddress, UriKind.Absolute, out var serviceUrl)) return;
        try
        {
            await _connector.UpdateAsync(serviceUrl, record.ConversationId, cardActivityId, OutgoingActivity.Message(reply, _identity.BotId, _images), stopping).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is ChatDeliveryException or OperationCanceledException)
        {
            LogCardNotUpdated(cardActivityId, record.ConversationId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: card {ActivityId} in {Conversation} was answered but could not be updated for everyone ({Reason}); others still see its buttons")]
    private partial void LogCardNotUpdated(string activityId, string conversation, string reason);

    private static bool IsForwarded(HttpRequest request) =>
        request.Headers.ContainsKey("X-Forwarded-For") || request.Headers.ContainsKey("Forwarded") || request.Headers.ContainsKey("X-Real-IP");

    private static IResult Unauthorized() => Results.Json(new { error = "unauthorized" }, statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>Logs a refusal, at most once per interval with the count of those not logged (anyone can send bad tokens).</summary>
    private void LogRefused(string reason, string? remote)
    {
        if (_refusals.ShouldLog(out var unlogged)) LogRefusedLine(reason, remote, unlogged, _refusals.Interval);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Teams request to /api/messages: {Reason} (from {Remote}); {Unlogged} more refused since the last such line (at most one line per {Interval})")]
    private partial void LogRefusedLine(string reason, string? remote, long unlogged, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Teams request to /api/messages with 503: Teams is not configured (set Teams__AppId) (from {Remote})")]
    private partial void LogNotConfigured(string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Teams request to /api/messages: body larger than {Limit} bytes (from {Remote})")]
    private partial void LogTooLarge(int limit, string? remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams activity {DeliveryId} was already accepted; acknowledged without answering again")]
    private partial void LogDuplicate(string deliveryId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: remembered {Kind} conversation {Conversation} (tenant {Tenant})")]
    private partial void LogRemembered(ConversationKind kind, string conversation, string? tenant);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teams: the bot was removed from {Conversation}; forgotten")]
    private partial void LogForgot(string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams: the welcome message to {Conversation} was not delivered: {Reason}")]
    private partial void LogWelcomeFailed(string conversation, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering Teams card action {DeliveryId} failed; the person can press again")]
    private partial void LogActionFailed(Exception exception, string deliveryId);
}
