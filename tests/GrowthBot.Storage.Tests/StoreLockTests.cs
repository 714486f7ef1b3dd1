using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Tests;

/// <summary>LiteDB loses data with two writers, so an open store holds <c>{path}.lock</c> exclusively.</summary>
public sealed class StoreLockTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private FileStream HoldLockFile() =>
        new(_temp.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

    [Fact]
    public void Open_WhileAnotherStoreHoldsThePath_ThrowsStoreLocked()
    {
        using var first = _temp.Open();

        var exception = Assert.Throws<StoreLockedException>(() => _temp.Open());

        Assert.Equal(_temp.FilePath, exception.Path);
        Assert.Contains(_temp.FilePath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("another", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("process", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.IsAssignableFrom<IOException>(exception.InnerException);
    }

    [Fact]
    public void Open_WhileAnotherStoreHoldsThePath_LeavesTheFirstStoreWorking()
    {
        using var first = _temp.Open();
        Assert.Throws<StoreLockedException>(() => _temp.Open());

        first.Write(Batch(customers: Customers));

        Assert.Equal(Customers.Length, RecordingSink.ReadAll(first).Customers.Count);
    }

    [Fact]
    public void Open_AfterTheFirstStoreIsDisposed_Works()
    {
        var first = _temp.Open();
        first.Write(Batch(customers: Customers));
        Assert.Throws<StoreLockedException>(() => _temp.Open());
        first.Dispose();

        using var second = _temp.Open();

        Assert.Equal(Customers.Length, RecordingSink.ReadAll(second).Customers.Count);
    }

    [Fact]
    public void Open_SamePathSpelledDifferently_IsStillLocked()
    {
        using var first = _temp.Open();
        var roundabout = Path.Combine(_temp.Folder, "sub", "..", Path.GetFileName(_temp.FilePath));

        Assert.Throws<StoreLockedException>(() => TempStore.Open(roundabout));
    }

    [Fact]
    public void Open_OtherFileInSameFolder_IsNotLocked()
    {
        using var first = _temp.Open();

        using var other = TempStore.Open(Path.Combine(_temp.Folder, "other.db"));

        Assert.True(other.IsEmpty);
    }

    [Fact]
    public void Open_WhileAnotherHandleHoldsTheLockFileExclusively_ThrowsStoreLocked()
    {
        // Stands in for another process: the store takes the same kind of lock on the same file.
        using var otherProcess = HoldLockFile();

        var exception = Assert.Throws<StoreLockedException>(() => _temp.Open());

        Assert.Contains(_temp.FilePath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("another", exception.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Open_AfterTheOtherHandleReleasesTheLockFile_Works()
    {
        var otherProcess = HoldLockFile();
        Assert.Throws<StoreLockedException>(() => _temp.Open());
        otherProcess.Dispose();

        using var store = _temp.Open();

        Assert.True(store.IsEmpty);
    }

    [Fact]
    public void Open_WhileLocked_DoesNotCreateTheDatabaseFile()
    {
        using var otherProcess = HoldLockFile();

        Assert.Throws<StoreLockedException>(() => _temp.Open());

        Assert.False(File.Exists(_temp.FilePath));
    }

    [Fact]
    public void OpenStore_HoldsTheLockFileAgainstOtherHandles()
    {
        using var store = _temp.Open();

        Assert.ThrowsAny<IOException>(HoldLockFile);
    }

    [Fact]
    public void Dispose_ReleasesTheLockFile()
    {
        _temp.Open().Dispose();

        using var lockFile = HoldLockFile();

        Assert.True(lockFile.CanWrite);
    }

    [Fact]
    public void Open_FileThatIsNotADatabase_FailsAndReleasesTheLock()
    {
        File.WriteAllBytes(_temp.FilePath, Enumerable.Repeat((byte)0x5A, 16_384).ToArray());

        Assert.ThrowsAny<Exception>(() => _temp.Open());

        using var lockFile = HoldLockFile();
        Assert.True(lockFile.CanWrite);
    }
}
