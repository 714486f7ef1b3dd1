using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Rendering;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Tests.Rendering;

public sealed class TeamsImageCacheTests
{
    /// <summary>A different small "PNG" per number.</summary>
    private static byte[] Distinct(int number)
    {
        var bytes = SampleMessages.Noise(100);
        BitConverter.TryWriteBytes(bytes, number);
        return bytes;
    }

    private static TeamsImageCache Cache(string? baseUrl) => new(Options.Create(new TeamsOptions { PublicBaseUrl = baseUrl }));

    [Fact]
    public void UrlFor_WithoutAPublicBaseUrl_IsNull()
    {
        var cache = Cache(null);

        Assert.False(cache.Enabled);
        Assert.Null(cache.UrlFor(SampleMessages.Noise(1_000)));
    }

    [Fact]
    public void UrlFor_KeepsThePng_UnderItsContentHash()
    {
        var cache = Cache("https://growthbot.example.com/bot");
        var png = SampleMessages.Noise(5_000);

        var url = cache.UrlFor(png)!;

        Assert.StartsWith("https://growthbot.example.com/bot/teams/images/", url, StringComparison.Ordinal);
        var id = url["https://growthbot.example.com/bot/teams/images/".Length..^".png".Length];
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), id);
        Assert.Same(png, cache.Find(id));
        Assert.Null(cache.Find(new string('0', 64)));
        Assert.Null(cache.Find("../../etc/passwd"));
    }

    [Fact]
    public void UrlFor_PastTheBound_ForgetsTheOldestFirst()
    {
        var cache = Cache("https://growthbot.example.com");
        var first = cache.UrlFor(Distinct(0))!;

        for (var i = 1; i <= TeamsImageCache.MaxImages; i++) cache.UrlFor(Distinct(i));

        Assert.Null(cache.Find(first[^68..^4]));
        var last = cache.UrlFor(Distinct(TeamsImageCache.MaxImages))!;
        Assert.NotNull(cache.Find(last[^68..^4]));
    }

    [Fact]
    public void AChartLinkedBeforeARestart_IsStillServedAfterIt()
    {
        var store = new MemoryChartStore();
        var before = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com" }), store);
        var png = SampleMessages.Noise(5_000);
        var id = before.UrlFor(png)![^68..^4];

        // A new process: nothing in memory, the store is the same file.
        var after = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com" }), store);

        Assert.Equal(png, after.Find(id));
        Assert.Equal(1, store.Saves);
    }

    [Fact]
    public void AChartEvictedFromMemory_IsServedFromTheStore_AndStoredOnce()
    {
        var store = new MemoryChartStore();
        var cache = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com" }), store);
        var first = cache.UrlFor(Distinct(0))![^68..^4];
        cache.UrlFor(Distinct(0));

        for (var i = 1; i <= TeamsImageCache.MaxImages; i++) cache.UrlFor(Distinct(i));

        Assert.Equal(Distinct(0), cache.Find(first));
        Assert.Equal(TeamsImageCache.MaxImages + 1, store.Saves);
        Assert.Null(cache.Find(first.ToUpperInvariant()));
        Assert.Null(cache.Find(new string('z', 64)));
        Assert.Equal(0, store.MissedLookups);
    }

    /// <summary>The chart store as the host's LiteDB file would be: outlives any one cache.</summary>
    private sealed class MemoryChartStore : GrowthBot.Core.Ports.IChartImageStore
    {
        private readonly Dictionary<string, byte[]> _charts = new(StringComparer.Ordinal);

        public int Saves { get; private set; }

        public int MissedLookups { get; private set; }

        public void Save(string id, byte[] png, DateTimeOffset savedAt)
        {
            Saves++;
            _charts.TryAdd(id, png);
        }

        public byte[]? Find(string id)
        {
            if (_charts.TryGetValue(id, out var png)) return png;
            MissedLookups++;
            return null;
        }
    }

    [Fact]
    public void Render_WithAHostedImage_TooBigToEmbed_LinksItInsteadOfLeavingItOut()
    {
        var cache = Cache("https://growthbot.example.com");
        var message = new ChatMessage("Weekly digest", [new HeaderBlock("Weekly digest"), new ImageBlock(SampleMessages.Noise(1_100_000), "NPS trend", "NPS rising")]);

        var activity = AdaptiveCardRenderer.Activity(message, cache.UrlFor);

        var body = activity["attachments"]![0]!["content"]!["body"]!.AsArray();
        var image = Assert.Single(body, element => (string?)element!["type"] == "Image")!;
        Assert.StartsWith("https://growthbot.example.com/teams/images/", (string)image["url"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(body, element => ((string?)element!["text"])?.Contains("left out", StringComparison.Ordinal) == true);
        Assert.True(TeamsMessageSize.Fits(activity));
        Assert.Contains("left out", AdaptiveCardRenderer.Activity(message).ToJsonString(), StringComparison.Ordinal);
    }
}
