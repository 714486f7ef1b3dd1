using System.Globalization;
using GrowthBot.Core.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Conversations;

/// <summary>
/// Takes accepted messages off the queue, asks the conversation handler for the answer and
/// delivers it through the platform's replier, then marks the message answered in the inbox.
/// At start it re-queues what was accepted but not answered before the last stop; when several
/// hosts share the inbox it also keeps this host's claims alive and takes over the messages of a host
/// that stopped renewing them (<see cref="ConversationOptions.ClaimLease"/>). Messages of
/// one conversation are answered one after another, in the order they arrived; different
/// conversations are answered side by side (a few at once), so a channel whose posts are being
/// paced or retried holds up only itself, not everyone else's answers.
/// A message whose answer fails is tried again on a timer with back-off
/// (<see cref="ConversationOptions.RetryFirstDelay"/> doubling up to <see cref="ConversationOptions.RetryMaxDelay"/>)
/// until it is <see cref="ConversationOptions.PendingMaxAge"/> old; then it is given up, logged, and
/// the asker is told (where the platform still lets the bot reply). On stop, no new message is
/// started; answers in flight finish within the host's shutdown timeout (<see cref="InFlightWork"/>).
/// </summary>
public sealed partial class ConversationWorker(
    InboundMessages queue,
    IInbox inbox,
    IConversationHandler handler,
    IEnumerable<IChatReplier> repliers,
    IEnumerable<IRequesterDirectory> directories,
    IEnumerable<IActionHandler> actionHandlers,
    ILogger<ConversationWorker> logger,
    TimeProvider? time = null,
    Microsoft.Extensions.Options.IOptions<ConversationOptions>? options = null,
    IEnumerable<IWorkingIndicator>? indicators = null,
    InFlightWork? inFlight = null,
    GrowthBotMetrics? metrics = null) : BackgroundService
{
    /// <summary>The kind of work <see cref="InFlightWork"/> counts for an answer being composed and delivered.</summary>
    public const string WorkKind = "answer";

    private readonly ConversationOptions _options = options?.Value ?? new ConversationOptions();
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private int _retriesWaiting;
    private readonly Dictionary<ChatPlatform, IWorkingIndicator> _indicators = (indicators ?? []).ToDictionary(indicator => indicator.Platform);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private TimeSpan PendingMaxAge => _options.PendingMaxAge;
    private const int Parallelism = 8;
    private readonly Dictionary<ChatPlatform, IChatReplier> _repliers = repliers.ToDictionary(replier => replier.Platform);
    private readonly Dictionary<ChatPlatform, IRequesterDirectory> _directories = directories.ToDictionary(directory => directory.Platform);
    private readonly SemaphoreSlim _slots = new(Parallelism);

    // The last message queued per conversation: the next one of that conversation starts after it.
    private readonly Dictionary<(ChatPlatform, string), Task> _tails = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = await TakeUnansweredAsync(int.MaxValue, stoppingToken).ConfigureAwait(false);
        if (pending > 0) LogRequeued(pending);
        // Several hosts share the inbox: keep this host's claims alive and take over a dead host's messages.
        var claims = inbox.IsShared ? FollowClaimsAsync(stoppingToken) : Task.CompletedTask;

        try
        {
            await foreach (var message in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false)) Dispatch(message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: nothing new is started; what is running finishes below.
        }
        finally
        {
            Task[] running;
            lock (_tails) running = [.. _tails.Values];
            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await claims.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var left = queue.Count + Volatile.Read(ref _retriesWaiting);
            if (left > 0) LogLeftQueued(left);
        }
    }

    /// <summary>
    /// Claims the unanswered messages no live host is answering and queues them (or gives up those too old
    /// to answer, so an answer that can never be delivered is not retried forever); returns how many were queued.
    /// </summary>
    private async Task<int> TakeUnansweredAsync(int max, CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        var queued = 0;
        foreach (var message in inbox.ClaimUnanswered(now, _options.ClaimLease, max))
        {
            if (message.ReceivedAt < now - PendingMaxAge)
            {
                await GiveUpAsync(message, stoppingToken).ConfigureAwait(false);
                continue;
            }
            // Its host (this one before a restart, or one that died) may have posted the answer and not recorded it.
            queue.Enqueue(message with { Resumed = true });
            queued++;
        }
        return queued;
    }

    /// <summary>
    /// On a shared inbox, every third of the claim lease: renew this host's claims, then take over what a
    /// host that stopped renewing left unanswered. A database that cannot be reached is logged and tried
    /// at the next round; it never stops the worker.
    /// </summary>
    private async Task FollowClaimsAsync(CancellationToken stoppingToken)
    {
        var every = _options.ClaimLease / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, stoppingToken).ConfigureAwait(false);
                inbox.RenewClaims(_time.GetUtcNow());
                var taken = await TakeUnansweredAsync(ClaimBatch, stoppingToken).ConfigureAwait(false);
                if (taken > 0) LogTookOver(taken, _options.ClaimLease);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed round (the database briefly unreachable) is retried at the next one.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogClaimsFailed(exception);
            }
        }
    }

    /// <summary>At most this many messages taken over per round, so one host does not take a whole backlog at once.</summary>
    private const int ClaimBatch = 100;

    public override void Dispose()
    {
        _slots.Dispose();
        base.Dispose();
    }

    private void Dispatch(IncomingMessage message, CancellationToken stoppingToken)
    {
        var key = (message.Platform, message.ConversationId);
        lock (_tails)
        {
            var previous = _tails.GetValueOrDefault(key) ?? Task.CompletedTask;
            var next = AnswerAfterAsync(previous, message, stoppingToken);
            _tails[key] = next;
            _ = next.ContinueWith(
                finished =>
                {
                    lock (_tails)
                    {
                        if (_tails.TryGetValue(key, out var tail) && tail == finished) _tails.Remove(key);
                    }
                },
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task AnswerAfterAsync(Task previous, IncomingMessage message, CancellationToken stoppingToken)
    {
        // Off the dispatching loop and out of Dispatch's lock at once: with nothing before it in its
        // conversation and a free slot, the answer (the engine's computation) ran synchronously
        // there, and every other conversation's message waited for it (found with lock-contention
        // traces while webhooks flowed in: questions queued behind one another's answers).
        await Task.Yield();
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Stopping: a message not yet started stays pending in the inbox for the next start.
        await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            if (stoppingToken.IsCancellationRequested) return;
            // Started: finished even while the host stops (a reply cut off half-way may reach the
            // platform unrecorded and be sent again), unless the shutdown timeout passes first.
            using var working = inFlight?.Begin(WorkKind);
            if (!await TryHandleAsync(message, inFlight?.Abandoned ?? CancellationToken.None).ConfigureAwait(false))
            {
                ScheduleRetry(message, stoppingToken);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The answer failed: try again after a back-off on the clock, or give up once the message is too old.</summary>
    private void ScheduleRetry(IncomingMessage message, CancellationToken stoppingToken)
    {
        int attempt;
        lock (_attempts) attempt = _attempts[message.DeliveryId] = _attempts.GetValueOrDefault(message.DeliveryId) + 1;
        var delay = RetryDelay(_options, attempt);
        var deadline = message.ReceivedAt + PendingMaxAge;
        var now = _time.GetUtcNow();
        var at = now + delay < deadline ? now + delay : deadline;
        LogRetrying(message.Platform, message.DeliveryId, message.ConversationId, attempt, at);
        Interlocked.Increment(ref _retriesWaiting);
        _ = RetryAtAsync(message, at, stoppingToken);
    }

    /// <summary>The wait before retry number <paramref name="attempt"/> (1 = the first): the first delay, doubled each time, at most the maximum.</summary>
    public static TimeSpan RetryDelay(ConversationOptions options, int attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        var delay = options.RetryFirstDelay;
        for (var i = 1; i < attempt && delay < options.RetryMaxDelay; i++) delay *= 2;
        return delay < options.RetryMaxDelay ? delay : options.RetryMaxDelay;
    }

    private async Task RetryAtAsync(IncomingMessage message, DateTimeOffset at, CancellationToken stoppingToken)
    {
        try
        {
            var wait = at - _time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, stoppingToken).ConfigureAwait(false);
            if (_time.GetUtcNow() - message.ReceivedAt >= PendingMaxAge)
            {
                using var working = inFlight?.Begin(WorkKind);
                await GiveUpAsync(message, inFlight?.Abandoned ?? CancellationToken.None).ConfigureAwait(false);
                return;
            }
            // The failed attempt may have posted before it failed (the inbox unreachable when recording it, say).
            queue.Enqueue(message with { Resumed = true });
        }
        catch (OperationCanceledException)
        {
            // Stopping: the message is still pending in the inbox and is tried again at the next start.
        }
        finally
        {
            Interlocked.Decrement(ref _retriesWaiting);
        }
    }

    /// <summary>
    /// Too old to answer now: marked done so it is never tried again, logged, and the asker told
    /// (best effort: the platform may refuse this too, the very reason the answer failed).
    /// </summary>
    private async Task GiveUpAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        LogExpired(message.Platform, message.DeliveryId, message.ConversationId, message.ReceivedAt);
        inbox.Complete(message);
        lock (_attempts) _attempts.Remove(message.DeliveryId);
        try
        {
            await ReplyAsync(message, GaveUpMessage(message), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Telling the asker is a courtesy; a platform that refuses it changes nothing.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogNotTold(exception.GetType().Name, message.Platform, message.DeliveryId, message.ConversationId);
        }
    }

    /// <summary>What the asker reads when the bot gives up: when they asked (UTC, as the bot cannot know their zone) and that they may ask again.</summary>
    public static ChatMessage GaveUpMessage(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var when = message.ReceivedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return ChatMessage.Plain($"Sorry, I couldn't answer your {(message.Press is null ? "question" : "button press")} from {when}. Please ask again.");
    }

    /// <summary>Answers one message and delivers the answer; failures are logged and the message stays pending.</summary>
    public Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken) => TryHandleAsync(message, cancellationToken);

    /// <summary>Answers one message and delivers the answer; false (logged, still pending) if that failed.</summary>
    private async Task<bool> TryHandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            // A press re-queued after a restart is answered by the handler that owns its button.
            var reply = message.Press is { } press
                ? await AnswerActionAsync(press, cancellationToken).ConfigureAwait(false)
                : await AnswerShowingWorkAsync(message, cancellationToken).ConfigureAwait(false);
            await DeliverAsync(message, reply, cancellationToken).ConfigureAwait(false);
            lock (_attempts) _attempts.Remove(message.DeliveryId);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One failing message must never stop the worker; it is logged and retried with back-off.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception, message.Platform, message.DeliveryId, message.ConversationId);
            return false;
        }
    }

    /// <summary>The answer to a message, with the platform's working indicator shown while it takes more than a moment.</summary>
    private async Task<ChatMessage?> AnswerShowingWorkAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        if (!_indicators.TryGetValue(message.Platform, out var indicator)) return await AnswerAsync(message, cancellationToken).ConfigureAwait(false);
        using var answered = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var showing = indicator.ShowWhileWorkingAsync(message, answered.Token);
        try
        {
            return await AnswerAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Stopped before the answer is delivered: no typing indication ever follows the answer.
            await answered.CancelAsync().ConfigureAwait(false);
            await showing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>The answer to a message (after completing who sent it), without delivering it.</summary>
    public async Task<ChatMessage?> AnswerAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var resolved = _directories.TryGetValue(message.Platform, out var directory)
            ? message with { From = await directory.ResolveAsync(message.From, cancellationToken).ConfigureAwait(false) }
            : message;
        return await handler.HandleAsync(resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer to a button press (after completing who pressed it, unless <paramref name="resolveRequester"/>
    /// is false: a survey press only needs the presser's id, and must not wait for a platform call), from the
    /// handler that owns its action id; null if none does.
    /// </summary>
    public async Task<ChatMessage?> AnswerActionAsync(IncomingAction action, CancellationToken cancellationToken, bool resolveRequester = true)
    {
        ArgumentNullException.ThrowIfNull(action);
        var owner = actionHandlers.FirstOrDefault(candidate => candidate.CanHandle(action.ActionId));
        if (owner is null) return null;
        var resolved = resolveRequester && _directories.TryGetValue(action.Platform, out var directory)
            ? action with { From = await directory.ResolveAsync(action.From, cancellationToken).ConfigureAwait(false) }
            : action;
        return await owner.HandleActionAsync(resolved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Delivers an answer through the platform's replier and marks the message answered.</summary>
    public async Task DeliverAsync(IncomingMessage message, ChatMessage? reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await ReplyAsync(message, reply, cancellationToken).ConfigureAwait(false)) inbox.Complete(message);
    }

    /// <summary>
    /// Delivers an answer through the platform's replier, for a message that was never recorded in the
    /// inbox (a survey press keeps its delivery id with the answer instead). False if no replier is registered.
    /// </summary>
    public async Task<bool> ReplyAsync(IncomingMessage message, ChatMessage? reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (reply is null) return true;
        if (!_repliers.TryGetValue(message.Platform, out var replier))
        {
            LogNoReplier(message.Platform);
            return false;
        }
        await replier.ReplyAsync(message, reply, cancellationToken).ConfigureAwait(false);
        metrics?.AnswerSent(message.Platform);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-queued {Count} messages accepted before the last stop but not yet answered")]
    private partial void LogRequeued(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took over {Count} unanswered messages whose host stopped renewing its claim on them for {Lease} (it died or was stopped)")]
    private partial void LogTookOver(int count, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Error, Message = "Renewing this host's inbox claims or taking over lapsed ones failed; trying again at the next round")]
    private partial void LogClaimsFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up {Platform} message {DeliveryId} in {Conversation}: received at {ReceivedAt} and still unanswered, older than the pending limit (Conversations__PendingMaxAge); telling the asker")]
    private partial void LogExpired(ChatPlatform platform, string deliveryId, string conversation, DateTimeOffset receivedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "No replier is registered for {Platform}; the message stays unanswered")]
    private partial void LogNoReplier(ChatPlatform platform);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped with {Count} accepted messages not yet answered; they stay in the inbox for the next start")]
    private partial void LogLeftQueued(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering {Platform} message {DeliveryId} in {Conversation} failed (attempt {Attempt}); trying again at {RetryAt}")]
    private partial void LogRetrying(ChatPlatform platform, string deliveryId, string conversation, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the asker of {Platform} message {DeliveryId} in {Conversation} that it was given up ({Error})")]
    private partial void LogNotTold(string error, ChatPlatform platform, string deliveryId, string conversation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering {Platform} message {DeliveryId} in {Conversation} failed; it stays pending")]
    private partial void LogFailed(Exception exception, ChatPlatform platform, string deliveryId, string conversation);
}
