using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// What only the LiteDB store does: where its file goes. The behaviour every store shares (rows,
/// counts, transactions, generation) is specified once in tests/GrowthBot.Storage.Contract.
/// </summary>
public sealed class LiteGrowthStoreTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Open_PathInMissingFolders_CreatesTheFolders()
    {
        var path = Path.Combine(_temp.Folder, "not", "yet", "there", "growthbot.db");

        using var store = TempStore.Open(path);
        store.Write(Batch(customers: [Customers[0]]));

        Assert.True(File.Exists(path));
        Assert.Equal(path, store.FilePath);
    }

    [Fact]
    public void FilePath_RelativePath_IsMadeAbsolute()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _temp.FilePath);

        using var store = TempStore.Open(relative);

        Assert.True(Path.IsPathFullyQualified(store.FilePath));
        Assert.Equal(_temp.FilePath, store.FilePath);
    }
}
