using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Storage.Contract.Support;
using GrowthBot.Storage.Tests;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>
/// Both stores keep dates to the millisecond (LiteDB's precision; the PostgreSQL store cuts its
/// microseconds to match, so a store copied by <c>migrate</c> keys the same rows). CSV imports and the demo history are whole seconds
/// already; these specs pin what happens to a row whose time has finer ticks (a clock reading).
/// </summary>
public abstract class StorePrecisionContract(IStoreProvider provider) : StoreContract(provider)
{
    /// <summary>9:30:00.1234567 — finer than the stores' milliseconds.</summary>
    private static readonly DateTime ClockReading = At(4, 1, 9, 30, 0).AddTicks(1_234_567);

    private static readonly DateTime ToTheMillisecond = At(4, 1, 9, 30, 0).AddMilliseconds(123);

    [Fact]
    public void ReadAll_SubMillisecondTime_ComesBackCutToTheMillisecond()
    {
        using var store = Open();

        store.Growth.Write(Batch(responses: [new("r1", SurveyKind.Nps, "c1", 9, null, ClockReading)]));

        var stored = Assert.Single(RecordingSink.ReadAll(store.Growth).Responses);
        Assert.Equal(ToTheMillisecond, stored.RespondedAt);
        Assert.Equal(DateTimeKind.Utc, stored.RespondedAt.Kind);
    }

    [Fact]
    public void Write_SubMillisecondResponseTwice_ReportsUnchanged()
    {
        using var store = Open();
        var response = new SurveyResponse("r1", SurveyKind.Nps, "c1", 9, null, ClockReading);
        store.Growth.Write(Batch(responses: [response]));

        var result = store.Growth.Write(Batch(responses: [response]));

        Assert.Equal(new StoreWriteResult(0, 0, 1), result);
    }

    [Fact]
    public void Write_SubMillisecondSubscriptionTwice_KeepsOneRowAndReportsUnchanged()
    {
        using var store = Open();
        var change = new SubscriptionChange("c1", ClockReading, 100m);
        store.Growth.Write(Batch(subscriptions: [change]));

        var result = store.Growth.Write(Batch(subscriptions: [change]));

        Assert.Single(RecordingSink.ReadAll(store.Growth).Subscriptions);
        Assert.Equal(new StoreWriteResult(0, 0, 1), result);
    }
}
