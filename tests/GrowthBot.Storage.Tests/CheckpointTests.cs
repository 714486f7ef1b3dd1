namespace GrowthBot.Storage.Tests;

/// <summary>The write-ahead log is checkpointed at the configured size, so each checkpoint pause stays short.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly TempStore _temp = new();

    [Fact]
    public void NewStore_CheckpointsAtTheDefault_NotLiteDbs()
    {
        using var store = _temp.Open();

        Assert.Equal(StorageOptions.DefaultCheckpointPages, store.Database.CheckpointSize);
        Assert.True(StorageOptions.DefaultCheckpointPages < 1000);
    }

    [Fact]
    public void ConfiguredSize_IsApplied_EachTimeTheFileIsOpened()
    {
        using (var store = new LiteGrowthStore(new StorageOptions { Path = _temp.FilePath, CheckpointPages = 40 }))
        {
            Assert.Equal(40, store.Database.CheckpointSize);
        }

        using var reopened = _temp.Open();
        Assert.Equal(StorageOptions.DefaultCheckpointPages, reopened.Database.CheckpointSize);
    }

    public void Dispose() => _temp.Dispose();
}
