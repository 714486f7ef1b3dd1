using GrowthBot.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Prepares accepted campaigns in the background: links each queued recipient to their customer,
/// applies the fatigue rule and adds their invitation, a chunk at a time, then saves the run with
/// what is left of its queue and wakes the <see cref="SurveyScheduler"/>, which starts sending the
/// chunk at once. Everything it works from is in the store: after a restart it resumes with the
/// queue as last saved. Invitation ids are fixed by run and person and only new ids are added, so
/// a chunk prepared again (the host stopped before its run was saved) neither duplicates an
/// invitation nor resets one already sent.
/// </summary>
public sealed partial class CampaignPreparer(
    ISurveyStore store,
    SurveyOptions options,
    SurveyScheduler scheduler,
    TimeProvider time,
    ILogger<CampaignPreparer> logger) : BackgroundService
{
    /// <summary>Recipients prepared per write: progress shows at this step, and sending starts after the first.</summary>
    public const int ChunkSize = 500;

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A campaign was accepted: prepare it now.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; one wake-up covers every queued run.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                PrepareQueued(stoppingToken);
                await _wake.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // One bad round (a store error) must not stop campaigns for good; it logs and tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRoundFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(30), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Prepares every run with a queue, oldest first, until none is left.</summary>
    public void PrepareQueued(CancellationToken cancellationToken)
    {
        foreach (var queued in store.Runs().Where(run => run.QueuedCount > 0).OrderBy(run => run.StartedAt))
        {
            var run = queued;
            while (run.QueuedCount > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                run = PrepareChunk(run);
            }
            LogPrepared(run.Id, run.Requested, run.SkippedFatigue);
        }
    }

    /// <summary>Prepares the first chunk of the run's queue and saves the run with the rest; returns the saved run.</summary>
    public SurveyRun PrepareChunk(SurveyRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var queue = run.Queued ?? [];
        // A recipients file without a workspace column keeps the workspace already known for the person (from a chat link).
        var chunk = queue.Take(ChunkSize)
            .Select(recipient => recipient.Workspace is null && store.FindRecipient(recipient.Platform, recipient.UserId)?.Workspace is { } known ? recipient with { Workspace = known } : recipient)
            .ToList();
        var now = time.GetUtcNow();
        var window = options.For(run.Kind).FatigueWindow;
        store.SaveRecipients(chunk);
        var invitations = new List<SurveyInvitation>(chunk.Count);
        var skipped = 0;
        foreach (var recipient in chunk)
        {
            var id = SurveyInvitation.IdFor(run.Id, recipient.Platform, recipient.UserId);
            // This run's own invitation (from a chunk prepared before a restart) is not an earlier ask.
            if (!SurveyStateMachine.FatigueAllows(store.InvitationsOf(recipient.Platform, recipient.UserId), run.Kind, window, now, id))
            {
                skipped++;
                continue;
            }
            invitations.Add(new SurveyInvitation(id, run.Id, run.Kind, recipient.CustomerId, recipient.Platform, recipient.UserId, run.Topic,
                InvitationState.Pending, now, now, Workspace: recipient.Workspace));
        }
        store.AddInvitations(invitations);
        var rest = queue.Skip(chunk.Count).ToList();
        var saved = run with { SkippedFatigue = run.SkippedFatigue + skipped, Queued = rest.Count == 0 ? null : rest };
        store.SaveRun(saved);
        scheduler.Wake();
        return saved;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey run {Run} prepared: {Requested} recipients, {Skipped} skipped by the fatigue rule")]
    private partial void LogPrepared(string run, int requested, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Preparing queued survey campaigns failed; trying again in 30 s")]
    private partial void LogRoundFailed(Exception exception);
}
