using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Storage.Tests.DiskFull;

/// <summary>
/// The store on a real file system that fills up and is freed again: what was acknowledged before
/// the disk filled is kept, writes while it is full fail at once with <see cref="StoreUnavailableException"/>
/// (never a lock held by the failed write), and once space is freed writing works again without a restart.
/// </summary>
public sealed class DiskFullTests : IDisposable
{
    private static readonly DateTime Monday = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);
    private readonly SmallDisk? _disk = SmallDisk.WhyNot is null ? SmallDisk.Mount(4) : null;

    private string StorePath => Path.Combine(_disk!.Folder, "growthbot.db");

    [SmallDiskFact]
    public void Write_WhileDiskFull_FailsClearlyAndRecoversOnceFreed()
    {
        using (var store = TempStore.Open(StorePath))
        {
            store.Write(Responses("before", 20));
            _disk!.Fill();

            var failure = Assert.Throws<StoreUnavailableException>(() => store.Write(Responses("during", 20)));
            Assert.Contains("No space left on device", failure.Message, StringComparison.Ordinal);
            // Again: the first failure left no lock behind (LiteDB alone would wait 60 s here, then time out).
            Assert.Throws<StoreUnavailableException>(() => store.Write(Responses("during-again", 20)));
            Assert.False(store.Health.Current.Writable);
            Assert.Contains("No space left on device", store.Health.Current.Problem, StringComparison.Ordinal);

            _disk.Free();
            store.Write(Responses("after", 20));
            Assert.True(store.Health.Current.Writable);
        }

        using var reopened = TempStore.Open(StorePath);
        var ids = StoredResponseIds(reopened);
        Assert.Equal(40, ids.Count);
        Assert.All(ids, id => Assert.True(id.StartsWith("before-", StringComparison.Ordinal) || id.StartsWith("after-", StringComparison.Ordinal), id));
    }

    [SmallDiskFact]
    public void SurveyWrite_FailedOnOneThread_DoesNotHoldTheLockForTheNext()
    {
        using var store = TempStore.Open(StorePath);
        var surveys = new LiteSurveyStore(store);
        var inbox = new LiteInbox(store);
        store.Write(Responses("before", 5));
        _disk!.Fill();

        // The failed write's transaction belongs to its thread; a press answered on another thread must not wait for it.
        var first = Task.Run(() => Assert.Throws<StoreUnavailableException>(() => surveys.SaveInvitations([Invitation("a")])));
        first.GetAwaiter().GetResult();
        var second = Task.Run(() => Assert.Throws<StoreUnavailableException>(() => store.Write(Responses("during", 5))));
        second.GetAwaiter().GetResult();

        _disk.Free();
        Task.Run(() => surveys.SaveInvitations([Invitation("b")])).GetAwaiter().GetResult();
        Assert.True(inbox.TryAccept(new IncomingMessage(ChatPlatform.Slack, "T0:Ev1", "C1", null, new Requester(ChatPlatform.Slack, "U1", "T0", false, null), "churn", Monday)));
        Assert.Null(surveys.FindInvitation("a"));
        Assert.NotNull(surveys.FindInvitation("b"));
        Assert.Single(inbox.Pending());
    }

    [SmallDiskFact]
    public void Transaction_WhoseEngineWasReopened_IsRefusedRatherThanHalfCommitted()
    {
        using var store = TempStore.Open(StorePath);
        var database = store.Database;
        var began = new ManualResetEventSlim();
        var replaced = new ManualResetEventSlim();
        // On another collection than the failing write (LiteDB locks per collection), so neither waits for the other.
        var longTransaction = Task.Run(() =>
        {
            Assert.True(database.BeginTrans());
            database.GetCollection("scratch").Insert(new LiteDB.BsonDocument { ["_id"] = "first-half" });
            began.Set();
            replaced.Wait();
            // Its engine is gone with the first half: the second half must not commit alone on the new one.
            Assert.Throws<StoreUnavailableException>(() => database.GetCollection("scratch").Insert(new LiteDB.BsonDocument { ["_id"] = "second-half" }));
            Assert.Throws<StoreUnavailableException>(() => database.Commit());
            database.Rollback();
        });
        began.Wait();
        _disk!.Fill();
        Assert.Throws<StoreUnavailableException>(() => store.Write(Responses("during", 5)));
        _disk.Free();
        replaced.Set();
        longTransaction.GetAwaiter().GetResult();

        store.Write(Responses("after", 1));
        Assert.Equal(["after-0"], StoredResponseIds(store));
        Assert.Equal(0, database.GetCollection("scratch").Count());
    }

    [SmallDiskFact]
    public void Probe_OnceSpaceIsFreed_ReportsWritableWithoutAnyOtherWrite()
    {
        using var store = TempStore.Open(StorePath);
        store.Write(Responses("before", 1));
        _disk!.Fill();
        Assert.Throws<StoreUnavailableException>(() => store.Write(Responses("during", 5)));
        Assert.False(store.Health.Probe());
        Assert.False(store.Health.Current.Writable);

        _disk.Free();
        Assert.True(store.Health.Probe());
        Assert.True(store.Health.Current.Writable);
    }

    [SmallDiskFact]
    public void Dispose_WhileDiskFull_ClosesAndKeepsWhatWasAcknowledged()
    {
        var store = TempStore.Open(StorePath);
        store.Write(Responses("before", 10));
        _disk!.Fill();
        Assert.Throws<StoreUnavailableException>(() => store.Write(Responses("during", 10)));
        store.Dispose();

        _disk.Free();
        using var reopened = TempStore.Open(StorePath);
        Assert.Equal(10, StoredResponseIds(reopened).Count);
    }

    public void Dispose() => _disk?.Dispose();

    private static GrowthDataBatch Responses(string prefix, int count)
    {
        var batch = new GrowthDataBatch();
        for (var i = 0; i < count; i++)
        {
            // Comments of a few KB, so every batch needs new pages in LiteDB's log.
            batch.Responses.Add(new SurveyResponse($"{prefix}-{i}", SurveyKind.Nps, "c1", 9, new string('x', 2000), Monday.AddMinutes(i)));
        }
        return batch;
    }

    private static SurveyInvitation Invitation(string id) =>
        new(id, "nps-1", SurveyKind.Nps, "c1", ChatPlatform.Slack, "U1", null, InvitationState.Pending, Monday, Monday);

    private static List<string> StoredResponseIds(LiteGrowthStore store) =>
        store.Database.GetCollection(LiteGrowthStore.ResponsesCollection).FindAll().Select(document => document["_id"].AsString).Order(StringComparer.Ordinal).ToList();
}
