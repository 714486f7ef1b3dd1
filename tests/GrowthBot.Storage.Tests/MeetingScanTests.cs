using LiteDB;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// A full read takes each collection from both ends of its index at once: whatever the two readers'
/// pace, every document must be taken exactly once, in the index's order (LiteDB's collation,
/// which ignores case), not the ordinal order of the ids.
/// </summary>
public sealed class MeetingScanTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<int, int> Cases()
    {
        var cases = new TheoryData<int, int>();
        foreach (var count in new[] { 0, 1, 2, 3, 50, 777 })
        {
            for (var seed = 1; seed <= 4; seed++) cases.Add(count, seed);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Halves_SteppedInAnyInterleaving_TakeEveryDocumentOnce(int count, int seed)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = _temp.FilePath });
        var collection = database.GetCollection("things");
        // Mixed case: "b-1" sorts before "C-2" in the collation but after it ordinally.
        var ids = Enumerable.Range(0, count).Select(i => (i % 2 == 0 ? "c-" : "B-") + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        collection.InsertBulk(ids.Select(id => new BsonDocument { ["_id"] = id }));
        var scan = new MeetingScan(database.Collation);
        var random = new Random(seed);

        var taken = new List<string>();
        int up = 0, down = 0;
        using (var ascending = scan.Half(collection, ascending: true).GetEnumerator())
        using (var descending = scan.Half(collection, ascending: false).GetEnumerator())
        {
            bool upOpen = true, downOpen = true;
            while (upOpen || downOpen)
            {
                // Each step advances one reader, chosen at random: every pace either may have.
                if (upOpen && (!downOpen || random.Next(2) == 0))
                {
                    upOpen = ascending.MoveNext();
                    if (upOpen) { taken.Add(ascending.Current["_id"].AsString); up++; }
                }
                else
                {
                    downOpen = descending.MoveNext();
                    if (downOpen) { taken.Add(descending.Current["_id"].AsString); down++; }
                }
            }
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), taken.Order(StringComparer.Ordinal));
        if (count >= 50) Assert.True(up > 0 && down > 0, $"one half took everything ({up} up, {down} down)");
    }

    [Fact]
    public void TakeAscending_AtOrPastWhatTheOtherHalfTook_Refuses()
    {
        var scan = new MeetingScan(Collation.Default);

        Assert.True(scan.TakeDescending("m"));
        Assert.True(scan.TakeAscending("a"));
        Assert.False(scan.TakeAscending("M"));
        Assert.False(scan.TakeDescending("A"));
        Assert.True(scan.TakeDescending("b"));
        Assert.False(scan.TakeAscending("b"));
    }
}
