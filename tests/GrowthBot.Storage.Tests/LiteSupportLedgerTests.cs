using GrowthBot.Core.Support;

namespace GrowthBot.Storage.Tests;

/// <summary>The support ledger: a delivery id is a unique key, ticket memory survives a reopen, ids keep their case.</summary>
public sealed class LiteSupportLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Solved = new(2025, 6, 15, 11, 30, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Record_SameDeliveryTwice_IsRefusedTheSecondTime_AndKeepsTheFirstMemory()
    {
        using var store = _temp.Open();
        var ledger = new LiteSupportLedger(store);

        Assert.True(ledger.Record("evt-1", "zendesk", new TicketMemory("5158", Solved, Solved, ["c1"])));
        Assert.False(ledger.Record("evt-1", "zendesk", new TicketMemory("5158", Solved.AddHours(1), null, ["c1", "c2"])));

        var memory = ledger.Find("5158");
        Assert.NotNull(memory);
        Assert.Equal(Solved, memory.ResolvedAt);
        Assert.Equal(["c1"], memory.ReplyIds);
    }

    [Fact]
    public void Find_AfterAReopen_ReturnsTheTicketsMemory_WithCaseKept()
    {
        using (var store = _temp.Open())
        {
            var ledger = new LiteSupportLedger(store);
            Assert.True(ledger.Record("evt-a", "zendesk", new TicketMemory("T-abc", Solved, null, [])));
            Assert.True(ledger.Record("EVT-A", "zendesk", new TicketMemory("T-ABC", null, Solved, ["r1"])));
        }

        using var reopened = _temp.Open();
        var again = new LiteSupportLedger(reopened);
        var lower = again.Find("T-abc");
        Assert.NotNull(lower);
        Assert.Equal(("T-abc", (DateTimeOffset?)Solved, (DateTimeOffset?)null), (lower.TicketId, lower.StatusAt, lower.ResolvedAt));
        Assert.Empty(lower.ReplyIds);
        Assert.Equal(["r1"], again.Find("T-ABC")!.ReplyIds);
        Assert.Null(again.Find("T-Abc"));
    }

    [Fact]
    public void RecordAll_ADeliveryAlreadyThereInTheMiddle_IsSkippedAndTheOthersAreRecordedInTheSameTransaction()
    {
        using var store = _temp.Open();
        var ledger = new LiteSupportLedger(store);
        Assert.True(ledger.Record("evt-2", "zendesk", new TicketMemory("2", Solved, Solved, [])));

        var recorded = ledger.RecordAll([
            new SupportRecord("evt-1", "zendesk", new TicketMemory("1", Solved, Solved, [])),
            new SupportRecord("evt-2", "zendesk", new TicketMemory("2", Solved.AddHours(1), null, ["r9"])),
            new SupportRecord("evt-3", "zendesk", new TicketMemory("1", Solved.AddHours(2), Solved, ["r1"])),
        ]);

        Assert.Equal([true, false, true], recorded);
        Assert.Equal(["r1"], ledger.Find("1")!.ReplyIds);
        Assert.Empty(ledger.Find("2")!.ReplyIds);
        Assert.False(ledger.Record("evt-1", "zendesk", new TicketMemory("1", null, null, [])));
    }
}
