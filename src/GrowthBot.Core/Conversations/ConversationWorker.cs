using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Conversations;

/// <summary>
/// Takes accepted messages off the queue, asks the conversation handler for the answer and
/// delivers it through the platform's replier, then marks the message answered in the inbox.
/// At start it re-queues what was accepted but not answered before the last stop. Messages of
/// one conversation are answered one after another, in the order they arrived; different
/// conversations are answered side by side (a few at once), so a channel whose posts are being
/// paced or retried holds up only itself, not everyone else's answers.
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
    IEnumerable<IWorkingIndicator>? indicators = null) : BackgroundService
{
    private readonly Dictionary<ChatPlatform, IWorkingIndicator> _indicators = (indicators ?? []).ToDictionary(indicator => indicator.Platform);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _pendingMaxAge = options?.Value.PendingMaxAge ?? new ConversationOptions().PendingMaxAge;
    private const int Parallelism = 8;
    private readonly Dictionary<ChatPlatform, IChatReplier> _repliers = repliers.ToDictionary(replier => replier.Platform);
    private readonly Dictionary<ChatPlatform, IRequesterDirectory> _directories = directories.ToDictionary(directory => directory.Platform);
    private readonly SemaphoreSlim _slots = new(Parallelism);

    // The last message queued per conversation: the next one of that conversation starts after it.
    private readonly Dictionary<(ChatPlatform, string), Task> _tails = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var oldest = _time.GetUtcNow() - _pendingMaxAge;
        var pending = new List<IncomingMessage>();
        foreach (var message in inbox.Pending())
        {
            if (message.ReceivedAt >= oldest)
            {
                pending.Add(message);
                continue;
            }
            // Too old to be worth answering: given up, so an answer that can never be delivered is not retried forever.
            LogExpired(message.Platform, message.DeliveryId, message.ConversationId, message.ReceivedAt);
            inbox.Complete(message);
        }
        if (pending.Count > 0) LogRequeued(pending.Count);
        foreach (var message in pending) queue.Enqueue(message);

        try
        {
            await foreach (var message in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false)) Dispatch(message, stoppingToken);
        }
        finally
        {
            Task[] running;
            lock (_tails) running = [.. _tails.Values];
            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

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
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _slots.WaitAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await HandleAsync(message, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Answers one message and delivers the answer; failures are logged and the message stays pending for the next start.</summary>
    public async Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            // A press re-queued after a restart is answered by the handler that owns its button.
            var reply = message.Press is { } press
                ? await AnswerActionAsync(press, cancellationToken).ConfigureAwait(false)
                : await AnswerShowingWorkAsync(message, cancellationToken).ConfigureAwait(false);
            await DeliverAsync(message, reply, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One failing message must never stop the worker; it is logged and retried at the next start.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception, message.Platform, message.DeliveryId, message.ConversationId);
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
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-queued {Count} messages accepted before the last stop but not yet answered")]
    private partial void LogRequeued(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up {Platform} message {DeliveryId} in {Conversation}: received at {ReceivedAt} and still unanswered, older than the pending limit (Conversations__PendingMaxAge)")]
    private partial void LogExpired(ChatPlatform platform, string deliveryId, string conversation, DateTimeOffset receivedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "No replier is registered for {Platform}; the message stays unanswered")]
    private partial void LogNoReplier(ChatPlatform platform);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answering {Platform} message {DeliveryId} in {Conversation} failed; it stays pending")]
    private partial void LogFailed(Exception exception, ChatPlatform platform, string deliveryId, string conversation);
}
