namespace GrowthBot.Storage.Tests;

/// <summary>Charts linked from Teams cards survive a restart, are kept once, and old ones are pruned.</summary>
public sealed class LiteChartImageStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    [Fact]
    public void ASavedChart_IsFoundAfterReopening_AndSavingItAgainChangesNothing()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];
        using (var store = _temp.Open())
        {
            var charts = new LiteChartImageStore(store);
            charts.Save("a1", png, Now);
            charts.Save("a1", [9, 9, 9], Now.AddMinutes(1));
        }

        using var reopened = _temp.Open();
        var again = new LiteChartImageStore(reopened);
        Assert.Equal(png, again.Find("a1"));
        Assert.Null(again.Find("b2"));
        Assert.Null(again.Find(""));
    }

    [Fact]
    public void Saving_PrunesChartsOlderThanTheRetention()
    {
        using var store = _temp.Open();
        var charts = new LiteChartImageStore(store);
        var old = Now - LiteChartImageStore.Retention - TimeSpan.FromDays(1);
        charts.Save("old", [1], old);
        charts.Save("recent", [2], Now.AddDays(-1));

        for (var i = 0; i < LiteChartImageStore.PruneEvery; i++) charts.Save($"new-{i}", [3], Now);

        Assert.Null(charts.Find("old"));
        Assert.NotNull(charts.Find("recent"));
    }

    public void Dispose() => _temp.Dispose();
}
