namespace GrowthBot.Storage;

/// <summary>
/// An online backup of the open store, taken while the host keeps running: LiteDB's log is
/// checkpointed into the data file, automatic checkpoints are held off, and the data file is
/// copied byte for byte. LiteDB 5 writes commits only to its log and changes the data file only
/// at a checkpoint, so with none running the file holds exactly the transactions committed at the
/// checkpoint (across every collection) and cannot change under the copy; writes meanwhile go on
/// into the log. Nobody waits longer than the checkpoint itself.
/// </summary>
public static class StoreBackup
{
    /// <summary>
    /// Writes a copy of <paramref name="store"/> to <paramref name="destination"/> (which must not
    /// exist), readable only by its owner (it holds the platforms' tokens); returns its size in bytes.
    /// A failed backup leaves no file behind.
    /// </summary>
    public static long WriteTo(LiteGrowthStore store, string destination)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var target = Path.GetFullPath(destination);
        if (File.Exists(target)) throw new IOException($"{target} already exists");
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var copy = new FileStream(partial, options))
            {
                store.CopyCheckpointedFile(copy);
                copy.Flush(flushToDisk: true);
            }
            File.Move(partial, target);
            return new FileInfo(target).Length;
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }
}
