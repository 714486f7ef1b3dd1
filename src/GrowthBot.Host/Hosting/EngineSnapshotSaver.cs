using System.Diagnostics;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Writes the engine snapshot beside the LiteDB file when the store has changed since the last
/// one. The snapshot is labelled with the store's generation, so its content is written while the
/// host's writers wait (<see cref="ImportService.SyncRoot"/>: a batch goes into the store and the
/// engine under it); its checksum, the flush to disk and the rename come after they are released.
/// At 1M customers the whole write held every webhook for about 0.5 s; most of it was hashing and
/// flushing 110 MB. A failure only costs the next start time (it indexes the store instead).
/// </summary>
internal sealed partial class EngineSnapshotSaver(MetricEngine engine, LiteGrowthStore store, ImportService importer, ILogger logger)
{
    // One save at a time (they share the temporary file), and none taken over by an older one.
    private readonly Lock _gate = new();

    /// <summary>The store generation the snapshot on disk was taken at (−1: none, or not current).</summary>
    private long _savedGeneration = -1;

    /// <summary>Called after the content is written and the writers released, before the checksum (tests hook it).</summary>
    internal Action? Completing { get; set; }

    /// <summary>Notes that the snapshot on disk is the one the engine was just read from.</summary>
    public void Loaded(long generation)
    {
        lock (_gate) _savedGeneration = generation;
    }

    /// <summary>Whether a save would write anything: the store moved since the snapshot on disk.</summary>
    public bool Stale
    {
        get
        {
            lock (_gate) return _savedGeneration != store.Generation;
        }
    }

    /// <summary>Writes a snapshot if the store changed since the last one.</summary>
    public void Save()
    {
        lock (_gate)
        {
            var path = EngineSnapshotFile.PathFor(store);
            try
            {
                var clock = Stopwatch.StartNew();
                long generation;
                EngineSnapshotFile.PendingSnapshot pending;
                lock (importer.SyncRoot)
                {
                    generation = store.Generation;
                    if (generation == _savedGeneration) return;
                    pending = EngineSnapshotFile.Begin(engine, store, generation);
                }
                var held = clock.ElapsedMilliseconds;
                using (pending)
                {
                    Completing?.Invoke();
                    pending.Complete();
                }
                _savedGeneration = generation;
                LogSaved(path, clock.ElapsedMilliseconds, held);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                LogFailed(exception.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Wrote the engine snapshot {Path} in {Milliseconds} ms ({HeldMilliseconds} ms of it with the store's writers waiting)")]
    private partial void LogSaved(string path, long milliseconds, long heldMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the engine snapshot ({Reason}); the next start will index the store instead")]
    private partial void LogFailed(string reason);
}
