using System.Net;
using System.Text.Json;
using GrowthBot.Core.Digests;
using GrowthBot.Host.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Digests;

/// <summary>
/// The whole path on the real host: "/growth subscribe marketing" in a channel, the clock moves to
/// Monday 09:00, Quartz fires, the digest (with its chart uploaded) reaches the Slack fake, and a
/// second host on the same store — a restart — does not post it again.
/// </summary>
public sealed class SlackDigestEndToEndTests : IAsyncLifetime
{
    /// <summary>Thursday 26 November 2026, 10:00 UTC (the company zone is UTC).</summary>
    private static readonly DateTimeOffset Thursday = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNine = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly TempStore _store = new();
    private readonly List<SlackHostFactory> _hosts = [];
    private FakeSlackWebApi _slack = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _slack.AddUser("U0STAFF", "T0HOME");
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task ScheduledDigest_ReachesSlackWithItsChart_AndOnlyOnceAcrossARestart()
    {
        var first = Start(Thursday);
        DigestData.Seed(first.Services);
        var reply = await Command(first, "subscribe marketing");
        Assert.Contains("Subscribed this conversation to the Marketing digest", reply, StringComparison.Ordinal);
        Assert.Contains("The next one comes Mon Nov 30, 09:00", reply, StringComparison.Ordinal);

        first.Time.SetUtcNow(MondayNine);

        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage"));
        var json = post.Json;
        Assert.Equal("C0GROWTH", json.GetProperty("channel").GetString());
        var text = json.GetProperty("text").GetString()!;
        Assert.StartsWith("Marketing digest — week 48, Nov 23–29", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(late)", text, StringComparison.Ordinal);
        Assert.Contains("Net Promoter Score: +50 — up 83.3 points from -33.3 in Nov 16–22, which is good", text, StringComparison.Ordinal);
        Assert.Contains("“The new onboarding was great”", text, StringComparison.Ordinal);
        Assert.Contains("Survey responses this week: 4 NPS (3 the week before).", text, StringComparison.Ordinal);
        Assert.Contains("No data this week for: Customer satisfaction (CSAT), Customer effort score (CES)", text, StringComparison.Ordinal);
        Assert.Equal("header", json.GetProperty("blocks")[0].GetProperty("type").GetString());
        // The chart is uploaded privately first and shown inline in the digest, with its alt text.
        var upload = Assert.Single(_slack.Calls, call => call.Method == "files.completeUploadExternal");
        Assert.DoesNotContain("channel_id", upload.Body, StringComparison.Ordinal);
        Assert.Single(_slack.Calls, call => call.Method == "upload");
        var chart = json.GetProperty("blocks").EnumerateArray().Single(block => block.GetProperty("type").GetString() == "image");
        Assert.Equal("F0CHART", chart.GetProperty("slack_file").GetProperty("id").GetString());
        Assert.False(string.IsNullOrWhiteSpace(chart.GetProperty("alt_text").GetString()));

        await first.DisposeAsync();
        var second = Start(MondayNine.AddMinutes(5));

        Assert.Equal(0, await second.Services.GetRequiredService<DigestDelivery>().SweepAsync(default));
        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
        Assert.Equal(DeliveryState.Sent, second.Services.GetRequiredService<ISubscriptionStore>().Delivery(SubscriptionId(second), "2026-W48")!.State);
    }

    [Fact]
    public async Task DigestMissedWhileTheHostWasDown_IsSentOnceWhenItComesBack_MarkedLate()
    {
        var first = Start(Thursday);
        DigestData.Seed(first.Services);
        await Command(first, "subscribe marketing");
        await first.DisposeAsync();

        var second = Start(MondayNine.AddHours(2));

        var post = Assert.Single(await _slack.WaitForAsync("chat.postMessage"));
        Assert.StartsWith("Marketing digest — week 48, Nov 23–29 (late)", post.Json.GetProperty("text").GetString(), StringComparison.Ordinal);
        await _slack.WaitForAsync("files.completeUploadExternal");
        await second.DisposeAsync();

        var third = Start(MondayNine.AddHours(3));
        Assert.Equal(0, await third.Services.GetRequiredService<DigestDelivery>().SweepAsync(default));
        Assert.Single(_slack.Calls, call => call.Method == "chat.postMessage");
    }

    [Fact]
    public async Task DigestCommand_ShowsAPreviewToTheAsker_WithoutCountingAsTheDelivery()
    {
        var host = Start(Thursday);
        DigestData.Seed(host.Services);
        await Command(host, "subscribe marketing");

        var reply = await Command(host, "digest");

        Assert.StartsWith("Preview: Marketing digest — week 47, Nov 16–22", reply, StringComparison.Ordinal);
        Assert.Null(host.Services.GetRequiredService<ISubscriptionStore>().Delivery(SubscriptionId(host), "2026-W47"));
        Assert.DoesNotContain(_slack.Calls, call => call.Method == "chat.postMessage");
    }

    private SlackHostFactory Start(DateTimeOffset now)
    {
        var host = new SlackHostFactory(_slack, _store.DbPath);
        host.Time.SetUtcNow(now);
        host.CreateClient().Dispose();
        _hosts.Add(host);
        return host;
    }

    private static async Task<string> Command(SlackHostFactory host, string text)
    {
        var response = await host.PostFormAsync("/slack/commands", new Dictionary<string, string>
        {
            ["team_id"] = "T0HOME",
            ["channel_id"] = "C0GROWTH",
            ["channel_name"] = "growth",
            ["user_id"] = "U0STAFF",
            ["user_name"] = "staff",
            ["command"] = "/growth",
            ["text"] = text,
            ["response_url"] = "http://127.0.0.1:9/unused",
            ["trigger_id"] = Guid.NewGuid().ToString("N"),
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("text").GetString()!;
    }

    private static string SubscriptionId(SlackHostFactory host) => Assert.Single(host.Services.GetRequiredService<ISubscriptionStore>().All()).Id;
}
