using GrowthBot.Core.Data;
using GrowthBot.Core.Import;

namespace GrowthBot.Core.Support;

/// <summary>
/// Applies support events from any connector: the ticket row goes through the same
/// <see cref="ImportService"/> as the import API (so the engine sees it at once, freshness counts it
/// for support, and a resolved ticket starts the CES survey), with its contacts counted from the
/// agents' public replies. First-contact resolution is the engine's <c>contacts == 1</c>: a solved
/// ticket has <c>contacts = max(1, public agent replies)</c>, so a ticket solved with at most one
/// public agent reply counts as resolved on first contact. Rows are written before the deliveries
/// are recorded (the delivery id is a unique key in the ledger): if the process dies in between, the
/// sender's retry writes the same row again and then records it.
/// <para>
/// Events go through group commit, as billing's do (<see cref="GroupCommit{TItem, TResult}"/>):
/// those that arrive while a batch is written are applied together, one store transaction, one
/// engine apply and one ledger transaction. Within a batch, events are decided in arrival order,
/// each against its ticket's memory as the batch's earlier events left it, so a batch gives exactly
/// what applying them one at a time would.
/// </para>
/// </summary>
public sealed class SupportIngest : IDisposable
{
    internal const int MaxBatch = 256;

    private readonly ImportService _importer;
    private readonly ISupportLedger _ledger;
    private readonly GroupCommit<(SupportEvent Change, string Source), SupportOutcome> _writes;

    public SupportIngest(ImportService importer, ISupportLedger ledger)
    {
        ArgumentNullException.ThrowIfNull(importer);
        ArgumentNullException.ThrowIfNull(ledger);
        _importer = importer;
        _ledger = ledger;
        _writes = new GroupCommit<(SupportEvent, string), SupportOutcome>(Commit, MaxBatch);
    }

    /// <summary>Applies an event with the others queued meanwhile; completes once it is committed. Waiting holds no thread.</summary>
    public Task<SupportOutcome> ApplyAsync(SupportEvent change, string source)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(source);
        return _writes.CommitAsync((change, source));
    }

    public void Dispose() => _writes.Dispose();

    private SupportOutcome[] Commit(IReadOnlyList<(SupportEvent Change, string Source)> events)
    {
        var outcomes = new SupportOutcome[events.Count];
        var deliveries = new HashSet<string>(StringComparer.Ordinal);
        var memories = new Dictionary<string, TicketMemory>(StringComparer.Ordinal);
        var tickets = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new GrowthDataBatch();
        var records = new List<SupportRecord>(events.Count);
        var recordOf = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var (change, source) = events[i];
            recordOf[i] = -1;
            if (!deliveries.Add(change.DeliveryId))
            {
                outcomes[i] = SupportOutcome.Duplicate;
                continue;
            }
            if (!memories.TryGetValue(change.TicketId, out var memory))
            {
                memory = _ledger.Find(change.TicketId) ?? new TicketMemory(change.TicketId, null, null, []);
            }
            var statusChange = change.Kind is SupportEventKind.Solved or SupportEventKind.Unsolved;
            if (statusChange && memory.StatusAt is { } newest && change.At < newest)
            {
                outcomes[i] = SupportOutcome.Stale;
                continue;
            }
            var next = change.Kind switch
            {
                SupportEventKind.Solved => memory with { StatusAt = change.At, ResolvedAt = memory.ResolvedAt ?? change.At },
                SupportEventKind.Unsolved => memory with { StatusAt = change.At, ResolvedAt = null },
                SupportEventKind.AgentReply when change.ReplyId is { } reply && !memory.ReplyIds.Contains(reply, StringComparer.Ordinal) =>
                    memory with { ReplyIds = [.. memory.ReplyIds, reply] },
                _ => memory,
            };
            memories[change.TicketId] = next;
            var replies = next.ReplyIds.Count;
            var ticket = new Ticket(
                change.TicketId, change.CustomerId, change.OpenedAt.UtcDateTime, next.ResolvedAt?.UtcDateTime,
                next.ResolvedAt is null ? replies : Math.Max(1, replies));
            // The ticket's latest version replaces an earlier one of this batch in place.
            if (tickets.TryGetValue(ticket.Id, out var position)) rows.Tickets[position] = ticket;
            else
            {
                tickets.Add(ticket.Id, rows.Tickets.Count);
                rows.Tickets.Add(ticket);
            }
            recordOf[i] = records.Count;
            records.Add(new SupportRecord(change.DeliveryId, source, next));
        }
        if (rows.Count > 0) _importer.Write(rows);
        var recorded = records.Count > 0 ? _ledger.RecordAll(records) : [];
        for (var i = 0; i < events.Count; i++)
        {
            if (recordOf[i] >= 0) outcomes[i] = recorded[recordOf[i]] ? SupportOutcome.Applied : SupportOutcome.Duplicate;
        }
        return outcomes;
    }
}
