using System.Reflection;
using GrowthBot.Core.Conversations;
using LiteDB;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// The inbox lives in a LiteDB file of its own: an acknowledgement (an inbox write) never waits for
/// a checkpoint of the store's file, which waits in turn for the billing writer's open transaction.
/// </summary>
public sealed class LiteInboxFileTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    [Fact]
    public void TryAccept_WhileTheStoreFileWaitsToCheckpoint_DoesNotWait()
    {
        using var store = _temp.Open();
        var inbox = new LiteInbox(store);
        using var began = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        // The billing writer's transaction, open on its own thread (LiteDB transactions belong to a thread).
        var writer = new Thread(() =>
        {
            store.Database.BeginTrans();
            store.Database.GetCollection("billing_deliveries").Insert(new BsonDocument { ["_id"] = "evt_1" });
            began.Set();
            release.Wait();
            store.Database.Commit();
        });
        writer.Start();
        began.Wait();
        // A checkpoint of the store's file waits for that transaction to end, and meanwhile no new
        // transaction on that file may start: LiteDB's file-wide lock is held exclusively for it.
        var checkpoint = new Thread(() => store.Database.Checkpoint());
        checkpoint.Start();
        var fileLock = TransactionLock(store.Database);
        SpinWait.SpinUntil(() => fileLock.WaitingWriteCount > 0);

        var accepted = false;
        var acknowledgement = new Thread(() => accepted = inbox.TryAccept(Message("Ev1")));
        acknowledgement.Start();
        // Without the inbox's own file the insert would wait for the writer, which waits for this test: a generous bound, never reached when it works.
        var answered = acknowledgement.Join(TimeSpan.FromSeconds(30));
        release.Set();
        writer.Join();
        checkpoint.Join();
        acknowledgement.Join();

        Assert.True(answered, "the inbox write waited for the store file's checkpoint");
        Assert.True(accepted);
        Assert.Equal(["Ev1"], inbox.Pending().Select(message => message.DeliveryId));
    }

    [Fact]
    public void Inbox_IsKeptInItsOwnFile_BesideTheStore()
    {
        using (var store = _temp.Open())
        {
            new LiteInbox(store).TryAccept(Message("Ev1"));
            Assert.Equal(Path.Combine(_temp.Folder, "growthbot-inbox.db"), store.InboxPath);
            Assert.False(store.Database.CollectionExists(LiteInbox.CollectionName));
        }

        Assert.True(File.Exists(Path.Combine(_temp.Folder, "growthbot-inbox.db")));
        using var reopened = _temp.Open();
        Assert.Equal(["Ev1"], new LiteInbox(reopened).Pending().Select(message => message.DeliveryId));
    }

    [Fact]
    public void Open_StoreWhoseInboxIsInItsOwnFile_MovesItsMessagesToTheInboxFile()
    {
        // As stores written before the inbox had its own file keep it: in the store's file.
        using (var store = _temp.Open())
        {
            var old = store.Database.GetCollection(LiteInbox.CollectionName);
            old.Insert(OldDocument("Ev-answered", done: true));
            old.Insert(OldDocument("Ev-pending", done: false));
        }

        using var reopened = _temp.Open();
        var inbox = new LiteInbox(reopened);

        Assert.Equal(["Ev-pending"], inbox.ClaimUnanswered(Monday.AddMinutes(5), TimeSpan.FromSeconds(30), int.MaxValue).Select(message => message.DeliveryId));
        // The answered one is kept too, so a retry of it is still recognised.
        Assert.False(inbox.TryAccept(Message("Ev-answered")));
        Assert.False(reopened.Database.CollectionExists(LiteInbox.CollectionName));
    }

    [Fact]
    public void Replace_DeletesTheInboxFileWithTheStore()
    {
        using (var store = _temp.Open())
        {
            new LiteInbox(store).TryAccept(Message("Ev1"));
        }

        using var replaced = LiteGrowthStore.Replace(new StorageOptions { Path = _temp.FilePath });

        Assert.Empty(new LiteInbox(replaced).Pending());
    }

    public void Dispose() => _temp.Dispose();

    private static IncomingMessage Message(string delivery) =>
        new(ChatPlatform.Slack, delivery, "C1", null, new Requester(ChatPlatform.Slack, "U1", "T1", false), "what's our churn", Monday);

    private static BsonDocument OldDocument(string delivery, bool done) => new()
    {
        ["_id"] = $"slack:{delivery}".ToLowerInvariant(),
        ["platform"] = "Slack",
        ["delivery"] = delivery,
        ["conversation"] = "C1",
        ["thread"] = BsonValue.Null,
        ["user"] = "U1",
        ["organisation"] = "T1",
        ["guest"] = false,
        ["name"] = BsonValue.Null,
        ["text"] = "what's our churn",
        ["received"] = Monday.UtcDateTime,
        ["reply"] = BsonValue.Null,
        ["done"] = done,
        ["owner"] = "an-earlier-run",
    };

    /// <summary>LiteDB's file-wide transaction lock (LockService._transaction), to see a checkpoint waiting for it.</summary>
    private static ReaderWriterLockSlim TransactionLock(LiteDatabase database)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        var recovering = typeof(LiteDatabase).GetField("_engine", Private)!.GetValue(database)!;
        var engine = recovering.GetType().GetField("_engine", Private)!.GetValue(recovering)!;
        var locker = engine.GetType().GetField("_locker", Private)!.GetValue(engine)!;
        return (ReaderWriterLockSlim)locker.GetType().GetField("_transaction", Private)!.GetValue(locker)!;
    }
}
