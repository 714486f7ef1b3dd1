using GrowthBot.Core.Import;
using GrowthBot.Core.Support;
using GrowthBot.Core.Tests.Import;

namespace GrowthBot.Core.Tests.Support;

/// <summary>
/// Support events arriving while a batch is written are applied together (one store write and one
/// ledger transaction), each decided against its ticket as the batch's earlier events left it.
/// </summary>
public sealed class SupportIngestTests : IDisposable
{
    private static readonly DateTimeOffset Opened = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly PausingLedger _ledger = new();
    private readonly RecordingGrowthStore _store = new();
    private readonly SupportIngest _ingest;

    public SupportIngestTests() => _ingest = new SupportIngest(new ImportService(_store, new RecordingMetricEngine()), _ledger);

    public void Dispose()
    {
        _ledger.Resume();
        _ingest.Dispose();
        _ledger.Dispose();
    }

    private static SupportEvent Event(string delivery, SupportEventKind kind, int minutes, string ticket = "t1", string? reply = null) =>
        new(delivery, kind, ticket, "c1", Opened, Opened.AddMinutes(minutes)) { ReplyId = reply };

    private async Task<SupportOutcome[]> AsOneBatchAsync(params SupportEvent[] events)
    {
        _ledger.PauseNextFind();
        var first = _ingest.ApplyAsync(Event("zd_first", SupportEventKind.Seen, 0, "t0"), "zendesk");
        Assert.True(_ledger.Paused.Wait(TimeSpan.FromMinutes(1)), "the first event never reached the ledger");
        var queued = events.Select(change => _ingest.ApplyAsync(change, "zendesk")).ToList();
        _ledger.Resume();
        Assert.Equal(SupportOutcome.Applied, await first);
        return await Task.WhenAll(queued);
    }

    [Fact]
    public async Task ApplyAsync_EventsArrivingDuringACommit_AreWrittenAndRecordedTogether()
    {
        var outcomes = await AsOneBatchAsync(
            Event("zd_1", SupportEventKind.AgentReply, 5, reply: "r1"), Event("zd_2", SupportEventKind.Solved, 10), Event("zd_3", SupportEventKind.Seen, 1, "t2"));

        Assert.All(outcomes, outcome => Assert.Equal(SupportOutcome.Applied, outcome));
        Assert.Equal(2, _store.Written.Count);
        Assert.Equal([1, 3], _ledger.Transactions);
        var solved = Assert.Single(_store.Written[1].Tickets, ticket => ticket.Id == "t1");
        Assert.Equal(Opened.AddMinutes(10).UtcDateTime, solved.ResolvedAt);
        Assert.Equal(1, solved.Contacts);
    }

    [Fact]
    public async Task ApplyAsync_SolvedThenOlderReopenOfOneTicketInOneBatch_TheReopenIsStale()
    {
        var outcomes = await AsOneBatchAsync(Event("zd_solved", SupportEventKind.Solved, 10), Event("zd_reopened", SupportEventKind.Unsolved, 5));

        Assert.Equal([SupportOutcome.Applied, SupportOutcome.Stale], outcomes);
        Assert.Equal(Opened.AddMinutes(10).UtcDateTime, Assert.Single(_store.Written[1].Tickets, ticket => ticket.Id == "t1").ResolvedAt);
        Assert.Equal(Opened.AddMinutes(10), _ledger.Find("t1")!.ResolvedAt);
    }

    [Fact]
    public async Task ApplyAsync_ReopenThenLaterSolvedOfOneTicketInOneBatch_BothApplyAndItEndsSolved()
    {
        var outcomes = await AsOneBatchAsync(Event("zd_reopened", SupportEventKind.Unsolved, 5), Event("zd_solved", SupportEventKind.Solved, 10));

        Assert.Equal([SupportOutcome.Applied, SupportOutcome.Applied], outcomes);
        Assert.Equal(Opened.AddMinutes(10).UtcDateTime, Assert.Single(_store.Written[1].Tickets, ticket => ticket.Id == "t1").ResolvedAt);
    }

    [Fact]
    public async Task ApplyAsync_SameDeliveryInOneBatchAndAgainLater_IsAppliedOnce()
    {
        var outcomes = await AsOneBatchAsync(Event("zd_1", SupportEventKind.AgentReply, 5, reply: "r1"), Event("zd_1", SupportEventKind.AgentReply, 5, reply: "r1"));

        Assert.Equal([SupportOutcome.Applied, SupportOutcome.Duplicate], outcomes);
        Assert.Equal(SupportOutcome.Duplicate, await _ingest.ApplyAsync(Event("zd_1", SupportEventKind.AgentReply, 5, reply: "r1"), "zendesk"));
        Assert.Equal(["r1"], _ledger.Find("t1")!.ReplyIds);
    }

    /// <summary>An in-memory ledger whose next ticket lookup can be held until the test lets it go.</summary>
    private sealed class PausingLedger : ISupportLedger, IDisposable
    {
        private readonly Dictionary<string, TicketMemory> _tickets = new(StringComparer.Ordinal);
        private readonly HashSet<string> _deliveries = new(StringComparer.Ordinal);
        private readonly ManualResetEventSlim _resume = new(true);
        private bool _pauseNext;

        public ManualResetEventSlim Paused { get; } = new(false);

        public List<int> Transactions { get; } = [];

        public void PauseNextFind()
        {
            _resume.Reset();
            _pauseNext = true;
        }

        public void Resume() => _resume.Set();

        public TicketMemory? Find(string ticketId)
        {
            if (_pauseNext)
            {
                _pauseNext = false;
                Paused.Set();
                _resume.Wait();
            }
            return _tickets.GetValueOrDefault(ticketId);
        }

        public bool Record(string deliveryId, string source, TicketMemory memory)
        {
            if (!_deliveries.Add(deliveryId)) return false;
            _tickets[memory.TicketId] = memory;
            return true;
        }

        public bool[] RecordAll(IReadOnlyList<SupportRecord> records)
        {
            Transactions.Add(records.Count);
            return [.. records.Select(record => Record(record.DeliveryId, record.Source, record.Memory))];
        }

        public void Dispose()
        {
            _resume.Dispose();
            Paused.Dispose();
        }
    }
}
