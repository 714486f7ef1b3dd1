using System.Diagnostics;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Alerts;

/// <summary>How one check went: for the logs, the tests and the benchmark.</summary>
public sealed record AlertCheckReport(int Alerts, int Posted, int Updated, int Resolved, int EngineQueries, TimeSpan Elapsed);

/// <summary>
/// Checks every alert after each data change and on a schedule, in the background. A write
/// (import, connector webhook, survey answer) only sets a flag and wakes the loop, on the writer's
/// thread and in constant time: nothing is evaluated on the request path of a survey press.
/// Changes that arrive while a check runs are taken by one more check after it, so a burst of
/// writes costs at most two checks, and a value that crossed and came back before a check is
/// never posted. Posts go through the platform's <see cref="IChatSender"/>; a change within a
/// period updates the first post.
/// </summary>
public sealed partial class AlertMonitor(
    AlertBook book,
    IMetricEngine engine,
    ImportService importer,
    ISubscriptionStore subscriptions,
    Accountability accountability,
    IEnumerable<IChatSender> senders,
    AlertOptions options,
    TimeZoneInfo zone,
    string currency,
    TimeProvider time,
    ILogger<AlertMonitor> logger,
    IEnumerable<IConversationAudience>? audiences = null) : BackgroundService
{
    private readonly Dictionary<ChatPlatform, IChatSender> _senders = senders.ToDictionary(sender => sender.Platform);
    private readonly Dictionary<ChatPlatform, IConversationAudience> _audiences = (audiences ?? []).ToDictionary(audience => audience.Platform);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _checking = new(1, 1);
    private int _changed;
    // The engine's data versions when the last check that finished started (only the check touches it, under _checking).
    private long?[]? _seen;
    // Alerts whose post or update failed: tried again at the next check, whatever data it follows.
    private readonly HashSet<string> _retry = new(StringComparer.Ordinal);
    // Names this host in the crossings it records as owed, so another host can tell an owed post whose poster died from its own.
    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>Data changes seen since the host started (duplicates that changed nothing are not counted).</summary>
    public long ChangesSeen => Interlocked.Read(ref _changesSeen);

    private long _changesSeen;

    /// <summary>Notes a write that changed rows and wakes the background check. Constant time; never evaluates.</summary>
    public void DataChanged(GrowthDataBatch changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        // A duplicate delivery or an unchanged re-import changes nothing and is not a change.
        if (changed.Count == 0) return;
        Interlocked.Increment(ref _changesSeen);
        Volatile.Write(ref _changed, 1);
        Wake();
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        importer.Written += OnWritten;
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        importer.Written -= OnWritten;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _checking.Dispose();
        base.Dispose();
    }

    private void OnWritten(object? sender, GrowthDataBatch changed) => DataChanged(changed);

    /// <summary>Asks for a check soon without a data change (a new alert is checked at once).</summary>
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
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool onlyChanged;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                var woken = _wake.WaitAsync(wait.Token);
                var scheduled = Task.Delay(options.CheckInterval, time, wait.Token);
                try
                {
                    await Task.WhenAny(woken, scheduled).ConfigureAwait(false);
                }
                finally
                {
                    await wait.CancelAsync().ConfigureAwait(false);
                }
                await Task.WhenAll(woken, scheduled).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (woken.IsCompletedSuccessfully) LogWoken();
                // The schedule follows the clock (windows that move, snoozes that end): it reads every alert.
                // A data change only moves the alerts on the data it changed.
                onlyChanged = woken.IsCompletedSuccessfully && !scheduled.IsCompletedSuccessfully;
            }
            if (stoppingToken.IsCancellationRequested) break;
            try
            {
                if (onlyChanged) await CheckChangedAsync(stoppingToken).ConfigureAwait(false);
                else await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // One failed check must not stop the checks; it is logged and the next one runs.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogCheckFailed(exception);
            }
        }
    }

    /// <summary>Checks every alert now, posting, updating and resolving as the rules say. One check runs at a time.</summary>
    public Task<AlertCheckReport> CheckAsync(CancellationToken cancellationToken) => CheckAsync(all: true, cancellationToken);

    /// <summary>
    /// Checks the alerts the data changed since the last check can move: those on a metric computed
    /// from a source whose rows changed (<see cref="IMetricEngine.DataVersion"/>; a customer row moves
    /// every source), plus alerts never checked and those whose post failed last time. An alert on
    /// data that did not change would read exactly as it did at the last check, so its outcome is
    /// the same as in a full check at the same moment. What the clock alone moves (a rolling window,
    /// a snooze that ended) is left to the scheduled check, which reads every alert.
    /// </summary>
    public Task<AlertCheckReport> CheckChangedAsync(CancellationToken cancellationToken) => CheckAsync(all: false, cancellationToken);

    private async Task<AlertCheckReport> CheckAsync(bool all, CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _changed, 0);
            var started = Stopwatch.GetTimestamp();
            var now = time.GetUtcNow();
            // Read before any answer: a write that lands during the check moves a version this check has not seen.
            var versions = Enum.GetValues<DataSource>().Select(engine.DataVersion).ToArray();
            var moved = MovedSources(all, versions);
            var evaluator = new AlertEvaluator(engine, options, zone);
            var alerts = book.All();
            // An owed post (recorded, never posted) is read at every check, so the first after its lease takes it over.
            var read = moved is null ? alerts : alerts.Where(alert => alert.State.LastCheckedAt is null || alert.State.OwedBy is not null
                || _retry.Contains(alert.Id) || Moves(alert.Rule.Metric, moved)).ToList();
            evaluator.Prefetch(read.Select(alert => alert.Rule), now);
            var decided = new List<(Alert Alert, AlertReading Reading, AlertDecision Decision)>();
            foreach (var alert in read)
            {
                var reading = evaluator.Read(alert.Rule, now);
                var metric = reading.Metric;
                var decision = alert.State.PostOverdue(now) && reading.Met == true && !alert.State.IsSnoozed(now)
                    // The host that recorded this crossing never posted it (it died in between): post it now, once,
                    // unless someone snoozed the alert since; then it stays owed until the snooze ends.
                    ? new AlertDecision(alert.State.Post is null ? AlertPostAction.Post : AlertPostAction.Update, alert.State with { LastCheckedAt = now, LastNote = null, LastValue = reading.Current.Value })
                    : AlertTransitions.Decide(alert.State, reading, now, value => MetricFormatter.Value(metric, value, currency));
                decided.Add((alert, reading, decision));
            }
            evaluator.PrefetchContributors(decided.Where(item => item.Decision.Action != AlertPostAction.None).Select(item => item.Reading));
            var elapsed = Stopwatch.GetElapsedTime(started);
            int posted = 0, updated = 0, resolved = 0;
            var quiet = new List<(string Id, Func<AlertState, bool> Holds, Func<AlertState, AlertState> Change)>();
            foreach (var (alert, reading, decision) in decided)
            {
                cancellationToken.ThrowIfCancellationRequested();
                _retry.Remove(alert.Id);
                switch (decision.Action)
                {
                    case AlertPostAction.None:
                        // Nothing to post: saved only when something a person can see changed (the firing, the note at once;
                        // a new value at most once a minute, since revenue moves with every plan change), so a check of a
                        // thousand quiet alerts after a data change writes next to nothing.
                        if (Worth(alert.State, decision.State, now))
                        {
                            // Only onto the state this check judged: a host that changed it meanwhile read newer data.
                            // Saved together after the loop: one write for all of them.
                            var judged = alert.State;
                            var state = decision.State;
                            quiet.Add((alert.Id, current => Unmoved(judged, current), current => Merge(current, state, post: current.Post)));
                        }
                        break;
                    case AlertPostAction.Post:
                        if (await PostAsync(alert, reading, decision, evaluator, now, cancellationToken).ConfigureAwait(false)) posted++;
                        else _retry.Add(alert.Id);
                        break;
                    default:
                        if (await UpdateAsync(alert, reading, decision, evaluator, now, cancellationToken).ConfigureAwait(false))
                        {
                            if (decision.Action == AlertPostAction.Resolve) resolved++;
                            else updated++;
                        }
                        else
                        {
                            _retry.Add(alert.Id);
                        }
                        break;
                }
            }
            if (quiet.Count > 0) book.UpdateAllIf(quiet);
            _seen = versions;
            var report = new AlertCheckReport(read.Count, posted, updated, resolved, evaluator.EngineQueries, elapsed);
            if (posted + updated + resolved > 0) LogChecked(report.Alerts, posted, updated, resolved, elapsed.TotalMilliseconds);
            return report;
        }
        finally
        {
            _checking.Release();
        }
    }

    internal IMetricEngine Engine => engine;

    /// <summary>The sources whose rows changed since the last check; null when every alert must be read.</summary>
    private HashSet<DataSource>? MovedSources(bool all, long?[] versions)
    {
        if (all || _seen is null || versions.Any(version => version is null)) return null;
        var moved = new HashSet<DataSource>();
        for (var i = 0; i < versions.Length; i++)
        {
            if (versions[i] != _seen[i]) moved.Add((DataSource)i);
        }
        return moved;
    }

    private static bool Moves(MetricId metric, HashSet<DataSource> moved) =>
        MetricEngine.DataSourcesOf(MetricFormulaMap.SourcesOf(metric)).Any(moved.Contains);

    /// <summary>An evaluator for one reading outside a check (a command's "right now", a button's refreshed post).</summary>
    internal AlertEvaluator NewEvaluator() => new(engine, options, zone);

    /// <summary>True when changes arrived that no check has taken yet.</summary>
    public bool ChangesWaiting => Volatile.Read(ref _changed) == 1;

    private async Task<bool> PostAsync(Alert alert, AlertReading reading, AlertDecision decision, AlertEvaluator evaluator, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var address = AlertRouting.Destination(alert.Rule, subscriptions.All(), accountability);
        if (!_senders.TryGetValue(address.Platform, out var sender))
        {
            LogNoSender(alert.Id, address.Platform);
            book.Update(alert.Id, current => current with { LastCheckedAt = now, LastNote = $"{address.Platform} is not configured here, so nothing was posted" });
            return false;
        }
        if (!options.AllowOutsideAudiences && _audiences.TryGetValue(address.Platform, out var audience)
            && await audience.CheckAsync(address, cancellationToken).ConfigureAwait(false) is { OnlyStaff: false } outside)
        {
            // Alerts show internal metrics: never to a conversation people outside the company read.
            LogOutsideAudience(alert.Id, address.Platform, address.ConversationId);
            book.UpdateIf(alert.Id, current => Unmoved(alert.State, current),
                current => Merge(current, decision.State, current.Post) with { LastNote = $"not posted: {outside.Reason ?? "people outside the company can read that conversation"}" });
            return false;
        }
        // The crossing is recorded first, by compare-and-set: of several hosts that saw it, only the one whose record won posts.
        // It is recorded as owed by this host, with a lease: if this host dies before the post is recorded, another check posts it.
        if (Claim(alert, decision, alert.State.Post, owedUntil: now + options.PostLease) is not { } fired) return false;
        var takenOver = alert.State.PostOverdue(now);
        if (takenOver) LogTakenOver(alert.Id, alert.State.OwedBy!, options.PostLease);
        var message = AlertMessages.Post(fired, reading, evaluator.Contributors(reading), currency, zone, now, resolved: false);
        try
        {
            // Taken over from a host that died owing it: that host may have posted it before it could record the post.
            var posted = await sender.SendOnceAsync(address, message, $"alert:{alert.Id}:{reading.Window.Key}", takenOver, cancellationToken).ConfigureAwait(false);
            var post = new AlertPost(address.Platform, address.ConversationId, address.Workspace, posted.MessageId, reading.Window.Key, now);
            book.Update(alert.Id, current => current with { Post = post, OwedBy = null, OwedUntil = null });
            LogPosted(alert.Id, address.Platform, address.ConversationId, posted.MessageId);
            return true;
        }
        catch (ChatDeliveryException exception)
        {
            // Not kept as fired: the next check (after a change or on the schedule) tries again.
            LogPostFailed(alert.Id, address.Platform, address.ConversationId, exception.Failure, exception.Message);
            Unclaim(alert, fired, now, $"posting failed ({exception.Failure}); tried again at the next check");
            return false;
        }
    }

    private async Task<bool> UpdateAsync(Alert alert, AlertReading reading, AlertDecision decision, AlertEvaluator evaluator, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var post = alert.State.Post!;
        if (!_senders.TryGetValue(post.Platform, out var sender)) return false;
        // As for a post: only the host whose record of this change won updates the thread's post.
        var refreshed = decision.Action == AlertPostAction.Update && alert.State.Firing ? post with { RefreshedAt = now } : post;
        // A new crossing shown by updating the period's post is owed like a new post (as is one taken over); a refresh or a resolve is not.
        var overdue = alert.State.PostOverdue(now);
        var owed = decision.Action == AlertPostAction.Update && (!alert.State.Firing || overdue);
        if (Claim(alert, decision, refreshed, owed ? now + options.PostLease : null) is not { } next) return false;
        if (overdue) LogTakenOver(alert.Id, alert.State.OwedBy!, options.PostLease);
        var resolved = decision.Action == AlertPostAction.Resolve;
        var message = AlertMessages.Post(next, reading, evaluator.Contributors(reading), currency, zone, now, resolved);
        try
        {
            await sender.UpdateAsync(new PostedMessage(new ChatAddress(post.Platform, post.ConversationId, post.Workspace), post.MessageId), message, cancellationToken).ConfigureAwait(false);
            if (owed) book.UpdateIf(alert.Id, current => current.OwedBy == _owner, current => current with { OwedBy = null, OwedUntil = null });
            LogUpdated(alert.Id, post.Platform, post.ConversationId, post.MessageId, resolved);
            return true;
        }
        catch (ChatDeliveryException exception) when (!exception.IsTransient && decision.Action == AlertPostAction.Update && (alert.State.Firing == false || overdue))
        {
            // The first post is gone (deleted, channel archived): a new crossing (or one taken over) is posted afresh.
            LogUpdateFailed(alert.Id, post.Platform, post.ConversationId, exception.Failure, exception.Message);
            var withoutPost = alert.State with { Post = null };
            if (Unclaim(alert with { State = withoutPost }, next, now, alert.State.LastNote) is not { } released) return false;
            return await PostAsync(released, reading, decision, evaluator, now, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatDeliveryException exception)
        {
            LogUpdateFailed(alert.Id, post.Platform, post.ConversationId, exception.Failure, exception.Message);
            // A firing alert whose post can't be refreshed is still firing (kept as recorded); a crossing not shown is tried again next check.
            if (decision.Action == AlertPostAction.Update && !alert.State.Firing) Unclaim(alert, next, now, alert.State.LastNote);
            return false;
        }
    }

    /// <summary>
    /// Records the check's decision if the alert still stands as this check read it (nobody, on this
    /// host or another, fired, re-armed, posted, moved or snoozed it since): the alert as recorded, or
    /// null when another got there first, and then this host posts nothing.
    /// </summary>
    private Alert? Claim(Alert alert, AlertDecision decision, AlertPost? post, DateTimeOffset? owedUntil = null)
    {
        var claimed = book.UpdateIf(alert.Id, current => Unmoved(alert.State, current), current => owedUntil is { } until
            ? Merge(current, decision.State, post) with { OwedBy = _owner, OwedUntil = until }
            : Merge(current, decision.State, post));
        if (claimed is null) LogClaimLost(alert.Id);
        return claimed;
    }

    /// <summary>
    /// Puts back what the check owns as it was before <paramref name="claimed"/> (a post or update that
    /// failed), if nothing else changed it since; the alert as saved, or null.
    /// </summary>
    private Alert? Unclaim(Alert before, Alert claimed, DateTimeOffset now, string? note)
    {
        var was = before.State;
        return book.UpdateIf(before.Id, current => Unmoved(claimed.State, current), current => current with
        {
            Firing = was.Firing,
            FiredAt = was.FiredAt,
            LastValue = was.LastValue,
            Post = was.Post,
            OwedBy = was.OwedBy,
            OwedUntil = was.OwedUntil,
            LastCheckedAt = now,
            LastNote = note,
        });
    }

    /// <summary>Whether a check's quiet outcome is worth a write (see the caller).</summary>
    private static bool Worth(AlertState stored, AlertState decided, DateTimeOffset now)
    {
        if (stored.LastCheckedAt is not { } saved) return true;
        if (decided with { LastCheckedAt = saved, LastValue = stored.LastValue } != stored) return true;
        return decided.LastValue != stored.LastValue && now >= saved + AlertTransitions.RefreshInterval;
    }

    /// <summary>True when nothing the check decides on changed between <paramref name="read"/> and <paramref name="current"/>.</summary>
    private static bool Unmoved(AlertState read, AlertState current) =>
        current.Firing == read.Firing && current.FiredAt == read.FiredAt && current.LastValue == read.LastValue
        && current.Post == read.Post && current.SnoozedUntil == read.SnoozedUntil
        && current.OwedBy == read.OwedBy && current.OwedUntil == read.OwedUntil;

    /// <summary>
    /// The check's state on top of the latest stored one: the check owns firing, values and the
    /// post; acknowledgement and snooze belong to the buttons, except that a new firing or a re-arm
    /// clears the acknowledgement (it was for the crossing that ended).
    /// </summary>
    private static AlertState Merge(AlertState current, AlertState decided, AlertPost? post)
    {
        var clearsAck = decided.AcknowledgedBy is null && (decided.Firing != current.Firing || decided.FiredAt != current.FiredAt);
        return current with
        {
            Firing = decided.Firing,
            FiredAt = decided.FiredAt,
            LastValue = decided.LastValue,
            LastCheckedAt = decided.LastCheckedAt,
            LastNote = decided.LastNote,
            Post = post,
            // A crossing that ended before anyone posted it is no longer owed: there is nothing left to say.
            OwedBy = decided.Firing ? current.OwedBy : null,
            OwedUntil = decided.Firing ? current.OwedUntil : null,
            AcknowledgedBy = clearsAck ? null : current.AcknowledgedBy,
            AcknowledgedByName = clearsAck ? null : current.AcknowledgedByName,
            AcknowledgedAt = clearsAck ? null : current.AcknowledgedAt,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert {Alert} changed since this check read it (another host or a press got there first): nothing posted for it by this check")]
    private partial void LogClaimLost(string alert);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Alert} crossing was recorded by {Owner} but not posted within its lease ({Lease}): that host stopped in between, so this check posts it")]
    private partial void LogTakenOver(string alert, string owner, TimeSpan lease);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Alert check woken by a data change")]
    private partial void LogWoken();

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked {Alerts} alerts: {Posted} posted, {Updated} updated, {Resolved} back to normal; evaluation took {Milliseconds} ms")]
    private partial void LogChecked(int alerts, int posted, int updated, int resolved, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "An alert check failed; the next one runs after the next data change or on the schedule")]
    private partial void LogCheckFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Alert} posted to {Platform} conversation {Conversation} as {MessageId}")]
    private partial void LogPosted(string alert, ChatPlatform platform, string conversation, string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Alert} post {MessageId} in {Platform} conversation {Conversation} updated (back to normal: {Resolved})")]
    private partial void LogUpdated(string alert, ChatPlatform platform, string conversation, string messageId, bool resolved);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Alert} could not be posted to {Platform} conversation {Conversation}: {Failure} {Reason}")]
    private partial void LogPostFailed(string alert, ChatPlatform platform, string conversation, ChatDeliveryFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Alert} post in {Platform} conversation {Conversation} could not be updated: {Failure} {Reason}")]
    private partial void LogUpdateFailed(string alert, ChatPlatform platform, string conversation, ChatDeliveryFailure failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Alert} was not posted: {Platform} is not configured in this host")]
    private partial void LogNoSender(string alert, ChatPlatform platform);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Alert} was not posted to {Platform} conversation {Conversation}: people outside the company can read it (Alerts__AllowOutsideAudiences is off)")]
    private partial void LogOutsideAudience(string alert, ChatPlatform platform, string conversation);
}
