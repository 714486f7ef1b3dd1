using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Tests.Metrics;

public sealed class MetricEngineSnapshotTests
{
    [Fact]
    public void Snapshot_ReadBack_AnswersEveryQuestionTheSame()
    {
        using var original = Engine(RandomHistory.Generate(31));
        using var stream = new MemoryStream();
        original.WriteSnapshot(stream, storeGeneration: 7);
        stream.Position = 0;

        using var restored = new MetricEngine(new MetricEngineOptions());
        Assert.True(restored.TryReadSnapshot(stream, storeGeneration: 7));

        Assert.Equal(original.Statistics, restored.Statistics);
        foreach (var (from, to) in RandomHistory.Periods())
        {
            foreach (var metric in MetricCatalog.All)
            {
                foreach (var by in new[] { Breakdown.None, Breakdown.Channel })
                {
                    Assert.Equal(original.Answer(new MetricQuery(metric.Id, from, to, by)), restored.Answer(new MetricQuery(metric.Id, from, to, by)), AnswerComparer.Instance);
                }
            }
        }
    }

    [Fact]
    public void SnapshotContent_ThenItsChecksum_IsTheSameFileAsWrittenInOneGo()
    {
        using var original = Engine(RandomHistory.Generate(33));
        using var whole = new MemoryStream();
        original.WriteSnapshot(whole, storeGeneration: 9);
        using var inTwoParts = new MemoryStream();

        original.WriteSnapshotContent(inTwoParts, storeGeneration: 9);
        MetricEngine.AppendSnapshotChecksum(inTwoParts);

        Assert.Equal(whole.ToArray(), inTwoParts.ToArray());
        inTwoParts.Position = 0;
        using var restored = new MetricEngine(new MetricEngineOptions());
        Assert.Equal(SnapshotReadResult.Loaded, restored.ReadSnapshot(inTwoParts, storeGeneration: 9));
        Assert.Equal(original.Statistics, restored.Statistics);
    }

    [Fact]
    public void Snapshot_OfAnotherGeneration_IsNotUsed()
    {
        using var original = Engine(RandomHistory.Generate(32));
        using var stream = new MemoryStream();
        original.WriteSnapshot(stream, storeGeneration: 7);
        stream.Position = 0;

        using var restored = new MetricEngine(new MetricEngineOptions());

        Assert.False(restored.TryReadSnapshot(stream, storeGeneration: 8));
        Assert.Equal(0, restored.Statistics.Customers);
    }

    [Fact]
    public void Snapshot_CutShort_IsRefusedAndLeavesTheEngineAsItWas()
    {
        using var original = Engine(RandomHistory.Generate(33));
        using var stream = new MemoryStream();
        original.WriteSnapshot(stream, storeGeneration: 3);
        var cut = new MemoryStream(stream.ToArray()[..(int)(stream.Length * 2 / 3)]);
        using var target = Engine(RandomHistory.Generate(34));
        var before = target.Statistics;

        Assert.Throws<InvalidDataException>(() => target.TryReadSnapshot(cut, storeGeneration: 3));
        Assert.Equal(before, target.Statistics);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 })]
    public void Snapshot_NotASnapshot_IsNotUsed(byte[] bytes)
    {
        using var engine = new MetricEngine(new MetricEngineOptions());
        Assert.False(engine.TryReadSnapshot(new MemoryStream(bytes), storeGeneration: 0));
    }

    [Fact]
    public void Snapshot_ReadBack_KeepsTakingChanges()
    {
        var history = RandomHistory.Generate(35);
        using var original = Engine(history);
        using var stream = new MemoryStream();
        original.WriteSnapshot(stream, 1);
        stream.Position = 0;
        using var restored = new MetricEngine(new MetricEngineOptions());
        restored.TryReadSnapshot(stream, 1);

        var more = new GrowthDataBatch();
        more.Subscriptions.Add(new Formulas.SubscriptionChange("c1", RandomHistory.Start.AddMonths(5), 999m));
        more.Responses.Add(new SurveyResponse("new-1", SurveyKind.Nps, "c2", 10, null, RandomHistory.Start.AddMonths(5)));
        original.Apply(more);
        restored.Apply(more);

        var (from, to) = (RandomHistory.Start.AddMonths(4), RandomHistory.Start.AddMonths(6));
        foreach (var metric in MetricCatalog.All)
        {
            Assert.Equal(original.Answer(new MetricQuery(metric.Id, from, to)).Result, restored.Answer(new MetricQuery(metric.Id, from, to)).Result);
        }
    }

    private static MetricEngine Engine(GrowthDataBatch batch)
    {
        var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(batch);
        return engine;
    }

    /// <summary>Answers compare by value, groups element by element.</summary>
    private sealed class AnswerComparer : IEqualityComparer<MetricAnswer>
    {
        public static readonly AnswerComparer Instance = new();

        public bool Equals(MetricAnswer? x, MetricAnswer? y) =>
            x is not null && y is not null && x.Result == y.Result &&
            (x.Groups ?? []).SequenceEqual(y.Groups ?? []);

        public int GetHashCode(MetricAnswer obj) => obj.Result.GetHashCode();
    }
}
