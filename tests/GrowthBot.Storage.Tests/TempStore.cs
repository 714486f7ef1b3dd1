namespace GrowthBot.Storage.Tests;

/// <summary>
/// A fresh folder under the system temp path for one test, deleted afterwards, and the store
/// path inside it. Every store a test opens lives here, so tests never share a file or a lock.
/// </summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "growthbot-storage-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, "growthbot.db");
    }

    /// <summary>The test's own folder.</summary>
    public string Folder { get; }

    /// <summary>The LiteDB file the test's stores open.</summary>
    public string FilePath { get; }

    /// <summary>The exclusive lock file the store holds while open.</summary>
    public string LockPath => FilePath + ".lock";

    public LiteGrowthStore Open() => Open(FilePath);

    public static LiteGrowthStore Open(string path) => new(new StorageOptions { Path = path });

    public void Dispose()
    {
        if (Directory.Exists(Folder)) Directory.Delete(Folder, recursive: true);
    }
}
