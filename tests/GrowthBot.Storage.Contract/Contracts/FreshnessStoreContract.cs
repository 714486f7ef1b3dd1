using GrowthBot.Core.Freshness;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>When each source last delivered data survives a restart; saving again moves it.</summary>
public abstract class FreshnessStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Save_ThenReopen_LoadsTheLatestPerSource()
    {
        using (var store = Open())
        {
            Assert.Empty(store.Freshness.Load());
            store.Freshness.Save(DataSource.Billing, Now);
            store.Freshness.Save(DataSource.Surveys, Now.AddHours(-3));
            store.Freshness.Save(DataSource.Billing, Now.AddHours(1));
        }

        using var reopened = Open();

        Assert.Equal(new Dictionary<DataSource, DateTimeOffset> { [DataSource.Billing] = Now.AddHours(1), [DataSource.Surveys] = Now.AddHours(-3) },
            reopened.Freshness.Load());
    }
}
