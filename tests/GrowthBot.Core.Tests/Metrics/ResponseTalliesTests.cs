using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// The running tallies answer a range of the response timeline exactly as counting its points
/// does. Property: after any seeded sequence of batches (answers appended in time order as live
/// ones arrive, late ones merged in, replaced ones removed, a whole import at once), every range
/// (within a block, across many, empty, the ends) tallies the same scores per survey as the scan.
/// </summary>
public sealed class ResponseTalliesTests
{
    public static TheoryData<int> Cases()
    {
        var cases = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++) cases.Add(seed);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AddRange_AfterAnySequenceOfBatches_TalliesWhatAScanOfTheRangeCounts(int seed)
    {
        var random = new Random(seed);
        var timeline = new Timeline<ResponsePoint>();
        var tallies = new ResponseTallies();
        var moment = 0;
        ResponsePoint Any(int at) => new(at, random.Next(50), (byte)random.Next(3), (byte)random.Next(12));

        for (var batch = 0; batch < 25; batch++)
        {
            var size = batch == 0 ? 3 * ResponseTallies.Block + random.Next(ResponseTallies.Block) : random.Next(40);
            switch (random.Next(4))
            {
                case 0 when timeline.Count > 0:
                    // Replaced answers: removals, which redo every block.
                    var all = timeline.All.ToArray();
                    for (var i = 0; i < size; i++) timeline.Remove(all[random.Next(all.Length)]);
                    break;
                case 1:
                    // Late answers, merged in among the old ones.
                    for (var i = 0; i < size; i++) timeline.Add(Any(random.Next(moment + 1)));
                    break;
                default:
                    // Live answers, in time order behind the old ones.
                    for (var i = 0; i < size; i++) timeline.Add(Any(moment += random.Next(3)));
                    break;
            }
            timeline.Seal();
            tallies.Refresh(timeline);
            AssertEveryRangeMatches(timeline, tallies, random);
        }
    }

    [Fact]
    public void Refresh_WithAnotherTimeline_CountsThatOneFromTheStart()
    {
        var first = new Timeline<ResponsePoint>();
        for (var i = 0; i < 3000; i++) first.Add(new ResponsePoint(i, i, 0, 10));
        first.Seal();
        var tallies = new ResponseTallies();
        tallies.Refresh(first);

        // A snapshot or a reload swaps the whole timeline; its seal reports nothing inserted.
        var second = new Timeline<ResponsePoint>();
        for (var i = 0; i < 3000; i++) second.Add(new ResponsePoint(i, i, 0, 0));
        second.Seal();
        second.Seal();
        tallies.Refresh(second);

        var facts = new GroupFacts();
        tallies.AddRange(0, 3000, facts);
        Assert.Equal(3000, facts.NpsTally[0]);
        Assert.Equal(0, facts.NpsTally[10]);
    }

    private static void AssertEveryRangeMatches(Timeline<ResponsePoint> timeline, ResponseTallies tallies, Random random)
    {
        var points = timeline.All.ToArray();
        var ranges = new List<(int, int)> { (0, points.Length), (0, 0), (points.Length, points.Length) };
        for (var i = 0; i < 30; i++)
        {
            var a = random.Next(points.Length + 1);
            var b = random.Next(2) == 0 ? Math.Min(points.Length, a + random.Next(ResponseTallies.Block)) : random.Next(points.Length + 1);
            ranges.Add((Math.Min(a, b), Math.Max(a, b)));
        }
        foreach (var (first, last) in ranges)
        {
            var expected = new GroupFacts();
            for (var i = first; i < last; i++)
            {
                var tally = points[i].Survey switch { 0 => expected.NpsTally, 1 => expected.CesTally, _ => expected.CsatTally };
                if (points[i].Score < tally.Length) tally[points[i].Score]++;
            }
            var actual = new GroupFacts();
            tallies.AddRange(first, last, actual);
            Assert.Equal(expected.NpsTally, actual.NpsTally);
            Assert.Equal(expected.CesTally, actual.CesTally);
            Assert.Equal(expected.CsatTally, actual.CsatTally);
        }
    }
}
