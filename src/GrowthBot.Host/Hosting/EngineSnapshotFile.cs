using System.Diagnostics;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Host.Hosting;

/// <summary>Where the engine came from at start, and how long it took.</summary>
internal sealed record EngineLoadResult(bool FromSnapshot, TimeSpan Elapsed, string? SnapshotProblem);

/// <summary>
/// The engine snapshot beside the store (<c>growthbot.db.engine</c>): loaded at start when it
/// matches the store's generation, written after a full load and when the host stops. Written
/// to a temporary file and renamed, so a crash mid-write never leaves a damaged snapshot.
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
        if (File.Exists(path))
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                if (engine.TryReadSnapshot(file, store.Generation)) return new EngineLoadResult(true, clock.Elapsed, null);
                problem = "it is older than the store";
            }
            catch (InvalidDataException exception)
            {
                problem = exception.Message;
            }
        }
        engine.Load(store);
        return new EngineLoadResult(false, clock.Elapsed, problem);
    }

    /// <summary>Writes a snapshot of the engine labelled with the store's current generation.</summary>
    public static void Save(MetricEngine engine, LiteGrowthStore store, long generation)
    {
        var path = PathFor(store);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            engine.WriteSnapshot(file, generation);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
