using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Charts linked from Teams cards survive a restart, are kept once, and old ones are pruned.</summary>
public abstract class ChartImageStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Both stores prune charts older than 90 days, every 64 saves.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    private const int PruneEvery = 64;

    [Fact]
    public void ASavedChart_IsFoundAfterReopening_AndSavingItAgainChangesNothing()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        using (var store = Open())
        {
            store.Charts.Save("a1", png, Now);
            store.Charts.Save("a1", [9, 9, 9], Now.AddMinutes(1));
        }

        using var reopened = Open();
        Assert.Equal(png, reopened.Charts.Find("a1"));
        Assert.Null(reopened.Charts.Find("b2"));
        Assert.Null(reopened.Charts.Find(""));
    }

    [Fact]
    public void Saving_PrunesChartsOlderThanTheRetention()
    {
        using var store = Open();
        var charts = store.Charts;
        var old = Now - Retention - TimeSpan.FromDays(1);
        charts.Save("old", [1], old);
        charts.Save("recent", [2], Now.AddDays(-1));

        for (var i = 0; i < PruneEvery; i++) charts.Save($"new-{i}", [3], Now);

        Assert.Null(charts.Find("old"));
        Assert.NotNull(charts.Find("recent"));
    }
}
