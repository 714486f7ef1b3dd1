using System.Diagnostics;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Where the engine came from at start, and how long it took; why a snapshot on disk was not used
/// (<paramref name="SnapshotDamaged"/>: it was damaged or of an older format, rather than merely not current).
/// </summary>
internal sealed record EngineLoadResult(bool FromSnapshot, TimeSpan Elapsed, string? SnapshotProblem, bool SnapshotDamaged = false);

/// <summary>
/// The engine snapshot beside the store (<c>growthbot.db.engine</c>): loaded at start when it
/// matches the store's generation, written after a full load and when the host stops. Written
/// to a temporary file and renamed, so a crash mid-write never leaves a damaged snapshot; a file
/// damaged anyway (a bad disk, a stray edit) fails its checksum or a length check and is ignored:
/// the store is indexed instead and the next save replaces it.
/// </summary>
internal static class EngineSnapshotFile
{
    public static string PathFor(LiteGrowthStore store) => store.FilePath + ".engine";

    /// <summary>Fills the engine from a current snapshot, or else from the store.</summary>
    public static EngineLoadResult Load(MetricEngine engine, LiteGrowthStore store)
    {
        var clock = Stopwatch.StartNew();
        var path = PathFor(store);
        string? problem = null;
        var damaged = false;
        if (File.Exists(path))
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                switch (engine.ReadSnapshot(file, store.Generation))
                {
                    case SnapshotReadResult.Loaded:
                        return new EngineLoadResult(true, clock.Elapsed, null);
                    case SnapshotReadResult.OtherGeneration:
                        problem = "it is older than the store";
                        break;
                    default:
                        (problem, damaged) = ("it is not a snapshot of the current format", true);
                        break;
                }
            }
            catch (InvalidDataException exception)
            {
                (problem, damaged) = (exception.Message, true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                (problem, damaged) = ($"it could not be read: {exception.Message}", true);
            }
        }
        engine.Load(store);
        return new EngineLoadResult(false, clock.Elapsed, problem, damaged);
    }

    /// <summary>Writes a snapshot of the engine labelled with the store's current generation.</summary>
    public static void Save(MetricEngine engine, LiteGrowthStore store, long generation)
    {
        using var pending = Begin(engine, store, generation);
        pending.Complete();
    }

    /// <summary>
    /// Writes the engine's state to the temporary file (the part that needs the engine and the
    /// store held in step); <see cref="PendingSnapshot.Complete"/> then adds the checksum, flushes
    /// it to disk and puts it in place, with nobody waiting.
    /// </summary>
    public static PendingSnapshot Begin(MetricEngine engine, LiteGrowthStore store, long generation)
    {
        var path = PathFor(store);
        var temporary = path + ".tmp";
        var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20);
        try
        {
            engine.WriteSnapshotContent(file, generation);
            // Into the OS's cache now, so the part under the caller's lock is all the writing there is.
            file.Flush(flushToDisk: false);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return new PendingSnapshot(file, temporary, path);
    }

    /// <summary>A snapshot's content written to its temporary file, not yet checksummed nor in place.</summary>
    internal sealed class PendingSnapshot(FileStream file, string temporary, string path) : IDisposable
    {
        private bool _completed;

        /// <summary>Appends the checksum, flushes the file to disk and renames it over the snapshot.</summary>
        public void Complete()
        {
            MetricEngine.AppendSnapshotChecksum(file);
            file.Flush(flushToDisk: true);
            file.Dispose();
            File.Move(temporary, path, overwrite: true);
            _completed = true;
        }

        public void Dispose()
        {
            file.Dispose();
            if (!_completed) File.Delete(temporary);
        }
    }
}
