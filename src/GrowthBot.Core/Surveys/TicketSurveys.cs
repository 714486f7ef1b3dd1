using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Schedules the CES survey after a support ticket resolves: whenever tickets with
/// <c>resolved_at</c> reach the store through the host's <see cref="ImportService"/>, each
/// resolved ticket's customer gets an invitation due at resolved_at + <see cref="SurveyOptions.CesAfterTicketDelay"/>
/// for every chat user linked to them. The invitation is stored at once (a restart loses none)
/// and the <see cref="SurveyScheduler"/> sends it when due, if fatigue still allows. Tickets
/// resolved long before they arrive (an import of old history) are left alone, and a ticket
/// written again is not scheduled twice. At start it also catches up on recently resolved tickets
/// already in the store (imported with the command line while the host was stopped), once every
/// hosted service has started: that catch-up reads the whole tickets collection (it has no index on
/// <c>resolved_at</c>), and run beside the engine's cold load it took a core from it, so a 1M-customer
/// start took 17.4 s instead of 11.6 s.
/// </summary>
public sealed partial class TicketSurveys(
    ImportService importer,
    ISurveyStore store,
    SurveyOptions options,
    SurveyScheduler scheduler,
    TimeProvider time,
    ILogger<TicketSurveys> logger) : IHostedLifecycleService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        importer.Written += OnWritten;
        return Task.CompletedTask;
    }

    /// <summary>
    /// Tickets imported while the host was stopped (the command line imports without it) get their
    /// survey too, after the engine has loaded (in another service's start) and off the start-up path.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        CatchingUp = Task.Run(CatchUp, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>The start's catch-up, once <see cref="StartedAsync"/> began it (tests wait for it).</summary>
    internal Task CatchingUp { get; private set; } = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Schedules the CES survey for recently resolved tickets already in the store; returns how many were new.</summary>
    public int CatchUp()
    {
        try
        {
            var since = time.GetUtcNow() - options.CesAfterTicketMaxAge - options.CesAfterTicketDelay;
            return Schedule(store.TicketsResolvedSince(since));
        }
#pragma warning disable CA1031 // A failed catch-up must not stop the host; new tickets are still scheduled as they arrive.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception);
            return 0;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        importer.Written -= OnWritten;
        return Task.CompletedTask;
    }

    /// <summary>Schedules the CES invitations for these tickets; returns how many were new.</summary>
    public int Schedule(IEnumerable<Ticket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var now = time.GetUtcNow();
        var invitations = new List<SurveyInvitation>();
        foreach (var ticket in tickets)
        {
            if (ticket.ResolvedAt is not { } resolved) continue;
            var sendAt = new DateTimeOffset(DateTime.SpecifyKind(resolved, DateTimeKind.Utc)) + options.CesAfterTicketDelay;
            if (sendAt < now - options.CesAfterTicketMaxAge) continue;
            foreach (var recipient in store.RecipientsOf(ticket.CustomerId))
            {
                invitations.Add(new SurveyInvitation(
                    SurveyInvitation.IdFor(SurveyRun.TicketRunId, recipient.Platform, recipient.UserId, ticket.Id),
                    SurveyRun.TicketRunId, SurveyKind.Ces, ticket.CustomerId, recipient.Platform, recipient.UserId,
                    Topic: null, InvitationState.Pending, now, sendAt, Workspace: recipient.Workspace));
            }
        }
        if (invitations.Count == 0) return 0;
        if (store.FindRun(SurveyRun.TicketRunId) is null)
        {
            store.SaveRun(new SurveyRun(SurveyRun.TicketRunId, SurveyKind.Ces, "resolved support tickets", "tickets", now, SurveyRunSource.Tickets, 0, 0, []));
        }
        var added = store.AddInvitations(invitations);
        if (added > 0)
        {
            LogScheduled(added);
            scheduler.Wake();
        }
        return added;
    }

    private void OnWritten(object? sender, GrowthDataBatch changed)
    {
        if (changed.Tickets.Count == 0) return;
        try
        {
            Schedule(changed.Tickets);
        }
#pragma warning disable CA1031 // The tickets are stored either way; a scheduling failure is logged, never thrown into the import.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled {Count} CES surveys after resolved tickets")]
    private partial void LogScheduled(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduling CES surveys after resolved tickets failed")]
    private partial void LogFailed(Exception exception);
}
