using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Host.Hosting;
using GrowthBot.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// The snapshot written after a start holds the store's writers only while its content is written:
/// a batch arriving while it is checksummed, flushed and renamed goes into the store and the
/// engine at once, and the snapshot stays labelled with the generation its content is of.
/// </summary>
public sealed class EngineSnapshotSaverTests : IDisposable
{
    private static readonly DateTime At = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Save_ABatchArrivingAfterTheContentIsWritten_IsNotHeldAndTheSnapshotKeepsItsGeneration()
    {
        using var store = new LiteGrowthStore(new StorageOptions { Path = _temp.DbPath });
        using var engine = new MetricEngine(new MetricEngineOptions());
        var importer = new ImportService(store, engine);
        importer.Write(Customers("C-1", "C-2"));
        var generation = store.Generation;
        var saver = new EngineSnapshotSaver(engine, store, importer, NullLogger.Instance);
        bool? writersHeld = null;
        saver.Completing = () =>
        {
            writersHeld = importer.SyncRoot.IsHeldByCurrentThread;
            // Store and engine: the engine's read lock, were it still held here, refuses the write lock a batch takes.
            importer.Write(Customers("C-3"));
        };

        saver.Save();

        Assert.False(writersHeld);
        Assert.Equal(3, engine.Statistics.Customers);
        Assert.Equal(generation + 1, store.Generation);
        Assert.Equal(2, CustomersInSnapshot(store, generation));
        Assert.True(saver.Stale);
    }

    [Fact]
    public void Save_AfterTheStoreMovedOn_WritesTheNewGeneration_AndThenNothingUntilItMovesAgain()
    {
        using var store = new LiteGrowthStore(new StorageOptions { Path = _temp.DbPath });
        using var engine = new MetricEngine(new MetricEngineOptions());
        var importer = new ImportService(store, engine);
        importer.Write(Customers("C-1"));
        var saver = new EngineSnapshotSaver(engine, store, importer, NullLogger.Instance);
        saver.Save();
        importer.Write(Customers("C-2"));

        saver.Save();
        var written = File.GetLastWriteTimeUtc(EngineSnapshotFile.PathFor(store));
        var saves = 0;
        saver.Completing = () => saves++;
        saver.Save();

        Assert.Equal(2, CustomersInSnapshot(store, store.Generation));
        Assert.False(saver.Stale);
        Assert.Equal(0, saves);
        Assert.Equal(written, File.GetLastWriteTimeUtc(EngineSnapshotFile.PathFor(store)));
        Assert.False(File.Exists(EngineSnapshotFile.PathFor(store) + ".tmp"));
    }

    private static int CustomersInSnapshot(LiteGrowthStore store, long generation)
    {
        using var file = File.OpenRead(EngineSnapshotFile.PathFor(store));
        using var restored = new MetricEngine(new MetricEngineOptions());
        Assert.Equal(SnapshotReadResult.Loaded, restored.ReadSnapshot(file, generation));
        return restored.Statistics.Customers;
    }

    private static GrowthDataBatch Customers(params string[] ids)
    {
        var batch = new GrowthDataBatch();
        foreach (var id in ids) batch.Customers.Add(new Customer(id, id, "SMB", "organic", At, null));
        return batch;
    }
}
