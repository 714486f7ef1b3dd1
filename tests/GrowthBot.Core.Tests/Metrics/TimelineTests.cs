using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// A timeline is a multiset of points kept in moment order. Property: after any seeded random
/// sequence of batches (points added in and out of order, removals of sealed points, of points
/// added in the same batch, of absent points, few or many at once), the sealed points are exactly
/// the model's, sorted by moment, and "only appended" is reported only when it is true.
/// </summary>
public sealed class TimelineTests
{
    public static TheoryData<int> Cases()
    {
        var cases = new TheoryData<int>();
        for (var seed = 1; seed <= 200; seed++) cases.Add(seed);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Seal_AnySequenceOfAddsAndRemovals_HoldsTheModelsPointsInMomentOrder(int seed)
    {
        var random = new Random(seed);
        var timeline = new Timeline<SignupPoint>();
        var model = new List<SignupPoint>();
        // Few moments and customers, so equal moments and equal points are common.
        var moments = 5 + random.Next(200);
        var customers = 1 + random.Next(20);
        SignupPoint Any() => new(random.Next(moments), random.Next(customers));

        for (var batch = 0; batch < 60; batch++)
        {
            var before = timeline.All.ToArray();
            var added = new List<SignupPoint>();
            var removed = new List<SignupPoint>();
            var size = random.Next(4) == 0 ? random.Next(300) : random.Next(6);
            for (var i = 0; i < size; i++)
            {
                switch (random.Next(5))
                {
                    case 0 when model.Count > 0:
                        removed.Add(model[random.Next(model.Count)]);
                        break;
                    case 1 when added.Count > 0:
                        // Written again as it was: removed and added in the same batch.
                        removed.Add(added[random.Next(added.Count)]);
                        break;
                    case 2:
                        removed.Add(Any());
                        break;
                    default:
                        var point = random.Next(3) == 0 && before.Length > 0 ? new SignupPoint(before[^1].Moment + random.Next(3), random.Next(customers)) : Any();
                        added.Add(point);
                        break;
                }
            }
            // The engine removes the replaced rows' points first, then adds the new ones.
            foreach (var point in removed) timeline.Remove(point);
            foreach (var point in added) timeline.Add(point);
            timeline.Seal();

            model.AddRange(added);
            foreach (var point in removed) model.Remove(point);

            var actual = timeline.All.ToArray();
            Assert.Equal(model.Count, timeline.Count);
            Assert.True(actual.Zip(actual.Skip(1)).All(pair => pair.First.Moment <= pair.Second.Moment), $"seed {seed}, batch {batch}: not in moment order");
            Assert.Equal(Sorted(model), Sorted(actual));
            if (timeline.LastSealAppendedFrom >= 0)
            {
                Assert.Equal(before, actual.Take(timeline.LastSealAppendedFrom));
            }
            if (timeline.LastSealInsertedFrom is var from and >= 0)
            {
                // Nothing before it moved, and nothing of what was there is gone.
                Assert.Equal(before.Take(from), actual.Take(from));
                Assert.Empty(Sorted(before).Except(Sorted(actual)));
            }
        }
    }

    [Fact]
    public void Seal_APointRemovedAndAddedAgainInOneBatch_LeavesTheTimelineAsItWasAndReportsNothingRemoved()
    {
        var timeline = new Timeline<SignupPoint>();
        for (var i = 0; i < 100; i++) timeline.Add(new SignupPoint(i, i));
        timeline.Seal();

        timeline.Remove(new SignupPoint(10, 10));
        timeline.Add(new SignupPoint(10, 10));
        timeline.Seal();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => new SignupPoint(i, i)), timeline.All.ToArray());
        Assert.Equal(100, timeline.LastSealAppendedFrom);
    }

    private static List<SignupPoint> Sorted(IEnumerable<SignupPoint> points) =>
        [.. points.OrderBy(point => point.Moment).ThenBy(point => point.Customer)];
}
