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

    /// <summary>The chart id in a link: the file name of its path.</summary>
    private static string IdOf(string url) => new Uri(url).AbsolutePath.Split('/')[^1][..^".png".Length];

    private static (string Id, string? Expires, string? Signature) Parts(string url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        return (IdOf(url), query["exp"], query["sig"]);
    }

    private static readonly string SharedKey = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("a test key of at least 32 bytes, for charts"));

    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<string?> Keys => new() { SharedKey, null };

    [Theory]
    [MemberData(nameof(Keys))]
    public void UrlFor_TheLinkIsSignedAndOpensUntilItExpires(string? key)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var cache = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com", ChartLinkKey = key, ChartLinkLifetime = TimeSpan.FromDays(7) }), time: time);
        var png = SampleMessages.Noise(5_000);
        var (id, expires, signature) = Parts(cache.UrlFor(png)!);

        Assert.Equal(Now.AddDays(7).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), expires);
        var opened = cache.Open(id, expires, signature);
        Assert.Equal(png, opened?.Png);
        Assert.Equal(TimeSpan.FromDays(7), opened?.ValidFor);

        time.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.NotNull(cache.Open(id, expires, signature));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Open(id, expires, signature));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Open_AForgedOrMovedSignature_OpensNothing(string? key)
    {
        var cache = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com", ChartLinkKey = key }), time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
        var (id, expires, signature) = Parts(cache.UrlFor(Distinct(1))!);
        var (otherId, _, _) = Parts(cache.UrlFor(Distinct(2))!);
        var later = (long.Parse(expires!, System.Globalization.CultureInfo.InvariantCulture) + 86_400).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Null(cache.Open(id, expires, null));
        Assert.Null(cache.Open(id, expires, ""));
        Assert.Null(cache.Open(id, expires, "AAAA" + signature![4..]));
        Assert.Null(cache.Open(id, expires, "not base64 !!"));
        Assert.Null(cache.Open(id, later, signature)); // a longer life is not the holder's to choose
        Assert.Null(cache.Open(id, "-1", signature));
        Assert.Null(cache.Open(id, null, signature));
        Assert.Null(cache.Open(otherId, expires, signature)); // one chart's signature opens no other chart
    }

    [Fact]
    public void Open_ASignatureMadeWithAnotherKey_OpensNothing()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now);
        var ours = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com", ChartLinkKey = SharedKey }), time: time);
        var theirs = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com", ChartLinkKey = Convert.ToBase64String(new byte[32]) }), time: time);
        var png = Distinct(3);
        ours.UrlFor(png);
        var (id, expires, signature) = Parts(theirs.UrlFor(png)!);

        Assert.Null(ours.Open(id, expires, signature));
    }

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
        var id = IdOf(url);
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

        Assert.Null(cache.Find(IdOf(first)));
        var last = cache.UrlFor(Distinct(TeamsImageCache.MaxImages))!;
        Assert.NotNull(cache.Find(IdOf(last)));
    }

    [Fact]
    public void AChartLinkedBeforeARestart_IsStillServedAfterIt()
    {
        var store = new MemoryChartStore();
        var before = new TeamsImageCache(Options.Create(new TeamsOptions { PublicBaseUrl = "https://growthbot.example.com" }), store);
        var png = SampleMessages.Noise(5_000);
        var id = IdOf(before.UrlFor(png)!);

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
        var first = IdOf(cache.UrlFor(Distinct(0))!);
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
