using GrowthBot.Core.Conversations;
using GrowthBot.Core.Operations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// Posts opened cases to their team's channel, in the background: woken by each new case, and every
/// <see cref="FollowUpOptions.PollInterval"/> for cases left unposted (a failed try, a restart). Each
/// post is claimed in the store for this run first, with a lease (<see cref="FollowUpOptions.PostLease"/>),
/// like a digest's delivery: two runs (on one host or several sharing a database) never post the same case
/// at once, and a case a run did not finish (it stopped, its host died) is taken up by another once the
/// lease has run out. A transient failure is
/// tried again at the next round; a refusal retrying cannot fix (channel gone, bot removed) is logged and
/// the case kept, unposted, for <c>followups</c>.
/// </summary>
public sealed partial class FollowUpPoster(
    IFollowUpStore store,
    FollowUpMessages messages,
    FollowUpOptions options,
    IEnumerable<IChatSender> senders,
    TimeProvider time,
    ILogger<FollowUpPoster> logger,
    InFlightWork? inFlight = null) : BackgroundService
{
    /// <summary>The kind of work <see cref="InFlightWork"/> counts for a post under way.</summary>
    public const string WorkKind = "follow-up post";

    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly Dictionary<ChatPlatform, IChatSender> _senders = senders.ToDictionary(sender => sender.Platform);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Starts a round now (a case was opened).</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
        catch (ObjectDisposedException)
        {
            // Stopped: the case is stored and posted at the next start.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // A wake from before this round's read is answered by the read itself.
            _wake.Wait(0, CancellationToken.None);
            await PostPendingAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var timer = Task.Delay(options.PollInterval, time, round.Token);
                var woken = _wake.WaitAsync(round.Token);
                await Task.WhenAny(timer, woken).ConfigureAwait(false);
                await round.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(timer, woken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                // A wake consumed after the timer won leaves the semaphore at zero either way.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Posts every case not posted yet; returns how many were posted.</summary>
    public async Task<int> PostPendingAsync(CancellationToken cancellationToken)
    {
        var posted = 0;
        IReadOnlyList<FollowUpCase> waiting;
        try
        {
            waiting = store.Unposted();
        }
#pragma warning disable CA1031 // A store that cannot be read now is tried again at the next round.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogReadFailed(exception);
            return 0;
        }
        foreach (var candidate in waiting)
        {
            if (cancellationToken.IsCancellationRequested) break;
            using var working = inFlight?.Begin(WorkKind);
            // Left sending by a run that stopped: it may have posted before it could record that.
            var resumed = candidate.PostState == FollowUpPostState.Sending;
            if (await PostAsync(candidate.Id, resumed, inFlight?.Abandoned ?? CancellationToken.None).ConfigureAwait(false)) posted++;
        }
        return posted;
    }

    private async Task<bool> PostAsync(string id, bool resumed, CancellationToken cancellationToken)
    {
        var followUp = store.TryStartPosting(id, _owner, time.GetUtcNow(), options.PostLease);
        if (followUp is null) return false;
        if (!_senders.TryGetValue(followUp.Destination.Platform, out var sender))
        {
            LogNoSender(followUp.Id, followUp.Destination.Platform);
            store.FinishPosting(followUp.Id, _owner, FollowUpPostState.Abandoned, null, $"{followUp.Destination.Platform} is not configured in this host");
            return false;
        }
        try
        {
            var message = messages.Post(followUp, time.GetUtcNow());
            string messageId;
            if (followUp.Posted is { } posted)
            {
                // Posted before: the case changed (the comment came after the score), so the post is redrawn in place.
                await sender.UpdateAsync(posted, message, cancellationToken).ConfigureAwait(false);
                messageId = posted.MessageId;
            }
            else
            {
                messageId = (await sender.SendOnceAsync(followUp.Destination, message, $"followup:{followUp.Id}", resumed, cancellationToken).ConfigureAwait(false)).MessageId;
            }
            var stored = store.FinishPosting(followUp.Id, _owner, FollowUpPostState.Posted, messageId, null);
            if (stored is null)
            {
                // Another run took the claim over after the lease: the post went out (again) from here, and that run records its own.
                LogClaimLost(followUp.Id, options.PostLease);
                return true;
            }
            LogPosted(followUp.Id, followUp.Destination.Platform, followUp.Destination.ConversationId);
            // A change that reached the case while this post was in flight (a comment) is not in it: the store left the
            // case pending for a redraw in the same step that recorded the post, so it is drawn now.
            if (stored.PostState == FollowUpPostState.Pending) await PostAsync(followUp.Id, false, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChatDeliveryException exception) when (!exception.IsTransient)
        {
            LogRefused(followUp.Id, followUp.Destination.Platform, followUp.Destination.ConversationId, exception.Failure, exception.Message);
            store.FinishPosting(followUp.Id, _owner, FollowUpPostState.Abandoned, null, exception.Message);
            return false;
        }
#pragma warning disable CA1031 // Anything else (rate limits, 5xx, a timeout, the store) is tried again at the next round.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRetrying(followUp.Id, followUp.Destination.Platform, exception.GetType().Name, exception.Message);
            try
            {
                store.FinishPosting(followUp.Id, _owner, FollowUpPostState.Pending, null, exception.Message);
            }
#pragma warning disable CA1031 // Left Sending: taken up again once its lease has run out.
            catch (Exception storeFailure)
#pragma warning restore CA1031
            {
                LogReadFailed(storeFailure);
            }
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Posted follow-up case {CaseId} to {Platform} {Conversation}")]
    private partial void LogPosted(string caseId, ChatPlatform platform, string conversation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Follow-up case {CaseId} was posted after its claim's lease ({Lease}) ran out and another run took it over; that run's post is the one recorded")]
    private partial void LogClaimLost(string caseId, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Error, Message = "Follow-up case {CaseId} cannot be posted: {Platform} is not configured in this host")]
    private partial void LogNoSender(string caseId, ChatPlatform platform);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Platform} refused follow-up case {CaseId} for {Conversation} ({Failure}: {Reason}); not tried again, it stays in followups")]
    private partial void LogRefused(string caseId, ChatPlatform platform, string conversation, ChatDeliveryFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Posting follow-up case {CaseId} to {Platform} failed ({Error}: {Reason}); trying again at the next round")]
    private partial void LogRetrying(string caseId, ChatPlatform platform, string error, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading or updating follow-up cases failed; trying again at the next round")]
    private partial void LogReadFailed(Exception exception);
}
