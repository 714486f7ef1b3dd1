using System.Buffers.Binary;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Tests.Metrics;

/// <summary>
/// A damaged engine snapshot is refused as a whole: every flipped byte, every truncation and every
/// absurd length gives "not used" or <see cref="InvalidDataException"/>, never a crash, an
/// out-of-memory, or an engine holding different numbers.
/// </summary>
public sealed class MetricEngineSnapshotDamageTests
{
    private const long Generation = 5;
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Snapshot_EveryByteFlipped_IsNeverLoaded()
    {
        var bytes = SmallSnapshot();
        for (var position = 0; position < bytes.Length; position++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])bytes.Clone();
                damaged[position] ^= mask;
                AssertRefused(damaged, $"byte {position} ^ 0x{mask:X2}");
            }
        }
    }

    [Fact]
    public void Snapshot_LargerOneFlippedAcrossItsLength_IsNeverLoaded()
    {
        using var original = Engine(RandomHistory.Generate(41));
        var bytes = Write(original);
        // A stride that is prime to every element size, so the flips land on every field's every byte offset.
        for (var position = 0; position < bytes.Length; position += 97)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[position] ^= 0x10;
            AssertRefused(damaged, $"byte {position}");
        }
    }

    [Fact]
    public void Snapshot_CutAtEveryLength_IsNeverLoaded()
    {
        var bytes = SmallSnapshot();
        for (var length = 0; length < bytes.Length; length++) AssertRefused(bytes[..length], $"cut at {length}");
    }

    [Fact]
    public void Snapshot_WithBytesAppended_IsNeverLoaded()
    {
        var bytes = SmallSnapshot();
        AssertRefused([.. bytes, 0], "one byte appended");
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    [InlineData(200_000_000)]
    [InlineData(-1)]
    public void Snapshot_AbsurdCount_IsRefusedByItsLengthCheckBeforeAllocating(int count)
    {
        var bytes = SmallSnapshot();
        // The first count after the header: the number of segment names.
        var damaged = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(damaged.AsSpan(HeaderLength), count);

        using var engine = new MetricEngine(new MetricEngineOptions());
        var refusal = Assert.Throws<InvalidDataException>(() => engine.ReadSnapshot(new MemoryStream(damaged), Generation));
        Assert.Contains("out of range", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Snapshot_HugeIdCount_IsRefusedNotADuplicateKeyCrash()
    {
        var bytes = SmallSnapshot();
        // Past the two name lists (segments, channels), the customer id count.
        var at = HeaderLength;
        for (var list = 0; list < 2; list++)
        {
            var names = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            at += 4;
            for (var i = 0; i < names; i++) at += 1 + bytes[at];
        }
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)));
        var damaged = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(damaged.AsSpan(at), 1_000_000);

        using var engine = new MetricEngine(new MetricEngineOptions());
        Assert.Throws<InvalidDataException>(() => engine.ReadSnapshot(new MemoryStream(damaged), Generation));
    }

    [Fact]
    public void Snapshot_OfTheOldFormatWithoutChecksum_IsNotUsed()
    {
        var bytes = SmallSnapshot();
        // Format 1 was the same layout with format number 1 and no checksum.
        var old = bytes[..^32];
        BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(HeaderLength - 12), 1);

        using var engine = new MetricEngine(new MetricEngineOptions());
        Assert.Equal(SnapshotReadResult.OtherFormat, engine.ReadSnapshot(new MemoryStream(old), Generation));
        Assert.Equal(0, engine.Statistics.Customers);
    }

    [Fact]
    public void Snapshot_Sound_IsLoaded()
    {
        using var engine = new MetricEngine(new MetricEngineOptions());
        Assert.Equal(SnapshotReadResult.Loaded, engine.ReadSnapshot(new MemoryStream(SmallSnapshot()), Generation));
        Assert.Equal(3, engine.Statistics.Customers);
    }

    // The header: the magic string (a length byte and 16 characters), the format (int32), the generation (int64).
    private const int HeaderLength = 1 + 16 + 4 + 8;

    /// <summary>Refused (not used, or damaged), and the engine it was read into is as it was.</summary>
    private static void AssertRefused(byte[] damaged, string what)
    {
        using var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(SmallHistory());
        var before = engine.Statistics;
        var nps = engine.Answer(new MetricQuery(MetricId.Nps, Start, Start.AddMonths(3))).Result;
        try
        {
            var result = engine.ReadSnapshot(new MemoryStream(damaged), Generation);
            Assert.True(result != SnapshotReadResult.Loaded, $"{what}: a damaged snapshot was loaded");
        }
        catch (InvalidDataException)
        {
            // Refused as damaged.
        }
        Assert.Equal(before, engine.Statistics);
        Assert.Equal(nps, engine.Answer(new MetricQuery(MetricId.Nps, Start, Start.AddMonths(3))).Result);
    }

    private static byte[] SmallSnapshot()
    {
        using var engine = Engine(SmallHistory());
        return Write(engine);
    }

    private static byte[] Write(MetricEngine engine)
    {
        using var stream = new MemoryStream();
        engine.WriteSnapshot(stream, Generation);
        return stream.ToArray();
    }

    private static MetricEngine Engine(GrowthDataBatch batch)
    {
        var engine = new MetricEngine(new MetricEngineOptions());
        engine.Apply(batch);
        return engine;
    }

    /// <summary>A few rows of every kind, so every section of the snapshot has content.</summary>
    private static GrowthDataBatch SmallHistory()
    {
        var batch = new GrowthDataBatch();
        batch.Customers.Add(new Customer("c1", "Acme", "smb", "ads", Start, Start.AddDays(2)));
        batch.Customers.Add(new Customer("c2", "Beta", "enterprise", "referral", Start.AddDays(10), null));
        batch.Customers.Add(new Customer("c3", "Gamma", "smb", "ads", Start.AddDays(20), Start.AddDays(21)));
        batch.Subscriptions.Add(new SubscriptionChange("c1", Start.AddDays(2), 100m));
        batch.Subscriptions.Add(new SubscriptionChange("c2", Start.AddDays(12), 250m));
        batch.Subscriptions.Add(new SubscriptionChange("c1", Start.AddDays(40), 150m));
        batch.Responses.Add(new SurveyResponse("r1", SurveyKind.Nps, "c1", 9, null, Start.AddDays(30)));
        batch.Responses.Add(new SurveyResponse("r2", SurveyKind.Nps, "c2", 3, "slow", Start.AddDays(31)));
        batch.Orders.Add(new Order("o1", "c1", Start.AddDays(5), 40m));
        batch.Tickets.Add(new Ticket("t1", "c2", Start.AddDays(15), Start.AddDays(16), 1));
        batch.Spend.Add(new SpendEntry(Start.AddDays(1), "ads", SpendCategory.Marketing, 3625.56m));
        return batch;
    }
}
