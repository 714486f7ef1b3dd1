namespace GrowthBot.Core.Support;

/// <summary>What happened to a ticket, as a support connector saw it.</summary>
public enum SupportEventKind
{
    /// <summary>The ticket exists (created, or any change that leaves its status alone).</summary>
    Seen,
    /// <summary>The ticket was solved (or closed without being solved first).</summary>
    Solved,
    /// <summary>The ticket went back to an unresolved status (reopened, pending, on hold).</summary>
    Unsolved,
    /// <summary>An agent replied publicly (<see cref="SupportEvent.ReplyId"/> names the comment).</summary>
    AgentReply,
}

/// <summary>
/// One support event, already translated at the edge. <see cref="DeliveryId"/> identifies the
/// delivery (a webhook event id) so a retry is recognised; <see cref="At"/> is when it happened,
/// which orders status changes of the same ticket (an older one arriving late is ignored).
/// </summary>
public sealed record SupportEvent(string DeliveryId, SupportEventKind Kind, string TicketId, string CustomerId, DateTimeOffset OpenedAt, DateTimeOffset At)
{
    public string? ReplyId { get; init; }
}

/// <summary>What a support connector remembers about one ticket between deliveries.</summary>
public sealed record TicketMemory(string TicketId, DateTimeOffset? StatusAt, DateTimeOffset? ResolvedAt, IReadOnlyList<string> ReplyIds);

/// <summary>What became of a support event.</summary>
public enum SupportOutcome
{
    /// <summary>Written (or found already there, row for row).</summary>
    Applied,
    /// <summary>This delivery was applied before.</summary>
    Duplicate,
    /// <summary>A newer status change of the same ticket was applied already; this one was ignored.</summary>
    Stale,
}

/// <summary>
/// What a support connector must remember between deliveries: applied deliveries (a unique key,
/// so a retry racing the original cannot both count) and each ticket's <see cref="TicketMemory"/>.
/// </summary>
public interface ISupportLedger
{
    TicketMemory? Find(string ticketId);

    /// <summary>
    /// Records the delivery and the ticket's new memory in one transaction; false (nothing written)
    /// when the delivery id is there already.
    /// </summary>
    bool Record(string deliveryId, string source, TicketMemory memory);

    /// <summary>
    /// Records several deliveries, in order (a later memory of the same ticket wins), ideally in one
    /// transaction; for each, false when its id was there already (nothing of it written). The
    /// default records them one at a time.
    /// </summary>
    bool[] RecordAll(IReadOnlyList<SupportRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return [.. records.Select(record => Record(record.DeliveryId, record.Source, record.Memory))];
    }
}

/// <summary>One delivery as <see cref="ISupportLedger.RecordAll"/> records it.</summary>
public sealed record SupportRecord(string DeliveryId, string Source, TicketMemory Memory);
