using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// LiteDB keeps dates to the millisecond. CSV imports and the demo history are whole seconds
/// already; these specs pin what happens to a row whose time has finer ticks (a clock reading).
/// </summary>
public sealed class StorePrecisionTests : IDisposable
{
    /// <summary>9:30:00.1234567 — finer than LiteDB's milliseconds.</summary>
    private static readonly DateTime ClockReading = At(4, 1, 9, 30, 0).AddTicks(1_234_567);

    private static readonly DateTime ToTheMillisecond = At(4, 1, 9, 30, 0).AddMilliseconds(123);

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void ReadAll_SubMillisecondTime_ComesBackCutToTheMillisecond()
    {
        using var store = _temp.Open();

        store.Write(Batch(responses: [new("r1", SurveyKind.Nps, "c1", 9, null, ClockReading)]));

        var stored = Assert.Single(RecordingSink.ReadAll(store).Responses);
        Assert.Equal(ToTheMillisecond, stored.RespondedAt);
        Assert.Equal(DateTimeKind.Utc, stored.RespondedAt.Kind);
    }

    [Fact]
    public void Write_SubMillisecondResponseTwice_ReportsUnchanged()
    {
        using var store = _temp.Open();
        var response = new SurveyResponse("r1", SurveyKind.Nps, "c1", 9, null, ClockReading);
        store.Write(Batch(responses: [response]));

        var result = store.Write(Batch(responses: [response]));

        Assert.Equal(new StoreWriteResult(0, 0, 1), result);
    }

    [Fact]
    public void Write_SubMillisecondSubscriptionTwice_KeepsOneRowAndReportsUnchanged()
    {
        using var store = _temp.Open();
        var change = new SubscriptionChange("c1", ClockReading, 100m);
        store.Write(Batch(subscriptions: [change]));

        var result = store.Write(Batch(subscriptions: [change]));

        Assert.Single(RecordingSink.ReadAll(store).Subscriptions);
        Assert.Equal(new StoreWriteResult(0, 0, 1), result);
    }
}
