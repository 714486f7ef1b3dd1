using GrowthBot.Core.Ports;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>A store that can write says so, and its probe confirms it.</summary>
public abstract class StoreHealthContract(IStoreProvider provider) : StoreContract(provider)
{
    [Fact]
    public void Current_OnAWritableStore_IsOk_AndProbeSaysWritable()
    {
        using var store = Open();

        Assert.Equal(StoreHealthReport.Ok, store.Health.Current);
        Assert.True(store.Health.Probe());
    }
}
