using LiteDB;
using LiteDB.Engine;

namespace GrowthBot.Storage.Tests.DiskFull;

/// <summary>
/// The engine replaced after a storage failure must not leave LiteDB transactions whose finalizers
/// roll back onto pages that failed to write (a crash on the finalizer thread). That is done
/// through LiteDB's private fields, so this pins them: it fails on a LiteDB upgrade that moves them.
/// </summary>
public sealed class AbandonedTransactionTests
{
    [Fact]
    public void AbandonTransactions_AnOpenTransaction_IsFoundAndItsFinalizerSuppressed()
    {
        var path = Path.Combine(Path.GetTempPath(), "growthbot-abandon-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            using var engine = new LiteEngine(new EngineSettings { Filename = path });
            // LiteDB keeps a transaction per thread: open one on another thread and leave it open.
            var opener = new Thread(() =>
            {
                engine.BeginTrans();
                engine.Insert("rows", [new BsonDocument { ["_id"] = 1 }], BsonAutoId.Int32);
            });
            opener.Start();
            opener.Join();

            Assert.Equal(1, RecoveringEngine.AbandonTransactions(engine));
        }
        finally
        {
            File.Delete(path);
            File.Delete(Path.ChangeExtension(path, null) + "-log.db");
        }
    }
}
