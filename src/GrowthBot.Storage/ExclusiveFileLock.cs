namespace GrowthBot.Storage;

/// <summary>
/// An exclusive, process-wide lock on <c>{store}.lock</c>, held for as long as the store is
/// open. .NET takes it with flock on Linux and a share-none handle on Windows, so a second
/// GrowthBot process fails fast instead of silently corrupting the LiteDB file; the OS drops
/// the lock if the process dies.
/// </summary>
internal sealed class ExclusiveFileLock : IDisposable
{
    private readonly FileStream _handle;

    private ExclusiveFileLock(FileStream handle) => _handle = handle;

    public static ExclusiveFileLock Acquire(string storePath)
    {
        var lockPath = storePath + ".lock";
        try
        {
            return new ExclusiveFileLock(new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception)
        {
            throw new StoreLockedException(storePath, exception);
        }
    }

    public void Dispose() => _handle.Dispose();
}
