using GrowthBot.Core.Data;
using GrowthBot.Core.Import;

namespace GrowthBot.Core.Support;

/// <summary>
/// Applies support events from any connector: the ticket row goes through the same
/// <see cref="ImportService"/> as the import API (so the engine sees it at once, freshness counts it
/// for support, and a resolved ticket starts the CES survey), with its contacts counted from the
/// agents' public replies. First-contact resolution is the engine's <c>contacts == 1</c>: a solved
/// ticket has <c>contacts = max(1, public agent replies)</c>, so a ticket solved with at most one
/// public agent reply counts as resolved on first contact. The row is written before the delivery
/// is recorded (the delivery id is a unique key in the ledger): if the process dies in between, the
/// sender's retry writes the same row again and then records it. Events are applied one at a
/// time; webhook requests wait for their turn without holding a thread, as billing's do.
/// </summary>
public sealed class SupportIngest(ImportService importer, ISupportLedger ledger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SupportOutcome Apply(SupportEvent change, string source)
    {
        ArgumentNullException.ThrowIfNull(change);
        _gate.Wait();
        try
        {
            return ApplyInTurn(change, source);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies an event; while another is being applied it waits without holding a thread (webhook requests).</summary>
    public async Task<SupportOutcome> ApplyAsync(SupportEvent change, string source)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return ApplyInTurn(change, source);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private SupportOutcome ApplyInTurn(SupportEvent change, string source)
    {
        var memory = ledger.Find(change.TicketId) ?? new TicketMemory(change.TicketId, null, null, []);
        var statusChange = change.Kind is SupportEventKind.Solved or SupportEventKind.Unsolved;
        if (statusChange && memory.StatusAt is { } newest && change.At < newest) return SupportOutcome.Stale;
        var next = change.Kind switch
        {
            SupportEventKind.Solved => memory with { StatusAt = change.At, ResolvedAt = memory.ResolvedAt ?? change.At },
            SupportEventKind.Unsolved => memory with { StatusAt = change.At, ResolvedAt = null },
            SupportEventKind.AgentReply when change.ReplyId is { } reply && !memory.ReplyIds.Contains(reply, StringComparer.Ordinal) =>
                memory with { ReplyIds = [.. memory.ReplyIds, reply] },
            _ => memory,
        };
        var replies = next.ReplyIds.Count;
        var ticket = new Ticket(
            change.TicketId, change.CustomerId, change.OpenedAt.UtcDateTime, next.ResolvedAt?.UtcDateTime,
            next.ResolvedAt is null ? replies : Math.Max(1, replies));
        var batch = new GrowthDataBatch();
        batch.Tickets.Add(ticket);
        importer.Write(batch);
        return ledger.Record(change.DeliveryId, source, next) ? SupportOutcome.Applied : SupportOutcome.Duplicate;
    }
}
