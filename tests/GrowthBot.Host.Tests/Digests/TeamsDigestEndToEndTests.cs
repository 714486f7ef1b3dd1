using System.Net;
using System.Text.Json.Nodes;
using GrowthBot.Core.Digests;
using GrowthBot.Host.Tests.Teams;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Digests;

/// <summary>
/// The whole path on the real host with Teams: the bot is added to a team, staff say
/// "@GrowthBot subscribe marketing" in its channel, the clock moves to Monday 09:00, Quartz fires,
/// the digest card reaches the fake connector as a new post in that channel, and a second host on
/// the same store — a restart — does not post it again.
/// </summary>
public sealed class TeamsDigestEndToEndTests : IAsyncLifetime
{
    /// <summary>Thursday 26 November 2026, 10:00 UTC (the company zone is UTC).</summary>
    private static readonly DateTimeOffset Thursday = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNine = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private const string General = "19:Yx3Gr0wThTeAmGeNeRaL@thread.tacv2";
    private const string StaffAad = "0a1b2c3d-5555-4aaa-8bbb-000000000e55";
    private const string StaffAccount = "29:1SamStaffChannelId_z9";

    private readonly TempStore _store = new();
    private readonly List<TeamsHostFactory> _hosts = [];
    private FakeBotFramework _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await FakeBotFramework.StartAsync();
        _bot.AddMember(StaffAad, StaffAccount, BotFrameworkTokens.HomeTenant);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task ASubscriptionMadeInOneThread_IsTheChannels_SeenAndUpdatedFromAnotherThread_AndRepliesStayInTheirThread()
    {
        var host = Start(Thursday);
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(host.Activity("conversation_update_bot_added_team.json"))).StatusCode);

        var subscribed = await Command(host, "subscribe marketing", thread: "1764151700001");
        var listed = await Command(host, "subscriptions", thread: "1764151700002");
        var again = await Command(host, "subscribe marketing on fridays 10:00", thread: "1764151700003");

        Assert.Contains("Subscribed this conversation to the Marketing digest", subscribed, StringComparison.Ordinal);
        Assert.Contains("Marketing", listed, StringComparison.Ordinal);
        Assert.Contains("Updated the Marketing digest", again, StringComparison.Ordinal);
        Assert.Equal(
            [General + ";messageid=1764151700001", General + ";messageid=1764151700002", General + ";messageid=1764151700003"],
            _bot.Calls.Where(call => call.Kind == "reply").Select(call => call.Conversation));
    }

    [Fact]
    public async Task ScheduledDigest_ReachesTheTeamsChannelAsACard_AndOnlyOnceAcrossARestart()
    {
        var first = Start(Thursday);
        DigestData.Seed(first.Services);
        Assert.Equal(HttpStatusCode.OK, (await first.PostAsync(first.Activity("conversation_update_bot_added_team.json"))).StatusCode);
        var reply = await Command(first, "subscribe marketing");
        Assert.Contains("Subscribed this conversation to the Marketing digest", reply, StringComparison.Ordinal);
        Assert.Contains("The next one comes Mon Nov 30, 09:00", reply, StringComparison.Ordinal);

        first.Time.SetUtcNow(MondayNine);

        var post = Assert.Single(await _bot.WaitForAsync(DigestPost));
        Assert.Equal(General, post.Conversation);
        Assert.Equal("Bearer fake-app-token", post.Authorization);
        var activity = post.Json;
        var summary = activity.GetProperty("summary").GetString()!;
        Assert.StartsWith("Marketing digest — week 48, Nov 23–29", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("(late)", summary, StringComparison.Ordinal);
        var attachment = activity.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = JsonNode.Parse(attachment.GetProperty("content").GetRawText())!.AsObject();
        var texts = Texts(card);
        Assert.Equal("Marketing digest — week 48, Nov 23–29", (string?)card["body"]![0]!["text"]);
        Assert.Contains("Net Promoter Score: +50 — up 83.3 points from -33.3 in Nov 16–22, which is good", texts, StringComparison.Ordinal);
        Assert.Contains("“The new onboarding was great”", texts, StringComparison.Ordinal);
        Assert.Contains("Survey responses this week: 4 NPS (3 the week before).", texts, StringComparison.Ordinal);
        Assert.Contains("No data this week for: Customer satisfaction (CSAT), Customer effort score (CES)", texts, StringComparison.Ordinal);
        // Without Teams:PublicBaseUrl a chart is embedded (base64 images do not count against a bot message's 100 KB).
        Assert.StartsWith("data:image/png;base64,", (string)Assert.Single(Elements(card), element => (string?)element["type"] == "Image")["url"]!, StringComparison.Ordinal);

        await first.DisposeAsync();
        var second = Start(MondayNine.AddMinutes(5));

        Assert.Equal(0, await second.Services.GetRequiredService<DigestDelivery>().SweepAsync(default));
        Assert.Single(_bot.Calls, DigestPost);
        var subscription = Assert.Single(second.Services.GetRequiredService<ISubscriptionStore>().All());
        Assert.Equal(DeliveryState.Sent, second.Services.GetRequiredService<ISubscriptionStore>().Delivery(subscription.Id, "2026-W48")!.State);
    }

    [Fact]
    public async Task ASubscriptionFromAGermanClient_PostsItsDigestWithGermanNumbersAndDates()
    {
        var host = Start(Thursday);
        DigestData.Seed(host.Services);
        await host.PostAsync(host.Activity("conversation_update_bot_added_team.json"));
        var reply = await Command(host, "subscribe marketing", locale: "de-DE");
        Assert.Contains("The next one comes Mon 30. Nov., 09:00", reply, StringComparison.Ordinal);

        host.Time.SetUtcNow(MondayNine);

        var post = Assert.Single(await _bot.WaitForAsync(DigestPost));
        var card = JsonNode.Parse(post.Json.GetProperty("attachments")[0].GetProperty("content").GetRawText())!.AsObject();
        Assert.Equal("Marketing digest — week 48, 23. Nov. – 29. Nov.", (string?)card["body"]![0]!["text"]);
        Assert.Contains("Net Promoter Score: +50 — up 83,3 points from -33,3 in 16. Nov. – 22. Nov., which is good", Texts(card), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-DE", "Net Promoter Score — this month so far, 1. Nov. – 26. Nov.", "+33,3, no data for 1. Okt. – 26. Okt. to compare with.|2 of 6, n = 6, ±75,4 at 95%", "The target for MRR is now 1.234,56 USD")]
    [InlineData("en-US", "Net Promoter Score — this month so far, Nov 1–26", "+33.3, no data for Oct 1–26 to compare with.|2 of 6, n = 6, ±75.4 at 95%", "The target for MRR is now USD 1,234.56")]
    [InlineData("xx-INVALID", "Net Promoter Score — this month so far, Nov 1–26", "+33.3, no data for Oct 1–26 to compare with.|2 of 6, n = 6, ±75.4 at 95%", "The target for MRR is now USD 1,234.56")]
    public async Task AQuestionFromTeams_IsAnsweredInTheClientsLocale_AnUnknownOneInTheUsualStyle(string locale, string header, string answer, string target)
    {
        var host = Start(Thursday);
        DigestData.Seed(host.Services);
        await host.PostAsync(host.Activity("conversation_update_bot_added_team.json"));

        var reply = await Command(host, "nps this month", thread: "1764151700011", locale: locale);
        var targetReply = await Command(host, "target mrr 1234.56", thread: "1764151700012", locale: locale);

        Assert.Contains(header, reply, StringComparison.Ordinal);
        Assert.All(answer.Split('|'), part => Assert.Contains(part, reply, StringComparison.Ordinal));
        Assert.Contains(target, targetReply, StringComparison.Ordinal);
    }

    /// <summary>Charts served by the host, their links signed with a key every host of the deployment shares.</summary>
    private static readonly Dictionary<string, string> HostedCharts = new()
    {
        ["Teams:PublicBaseUrl"] = "https://growthbot.example.com/",
        ["Teams:ChartLinkKey"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("a test key of at least 32 bytes, for charts")),
    };

    [Fact]
    public async Task ScheduledDigest_WithAPublicBaseUrl_LinksItsChartServedByTheHost()
    {
        var host = Start(Thursday, HostedCharts);
        DigestData.Seed(host.Services);
        await host.PostAsync(host.Activity("conversation_update_bot_added_team.json"));
        await Command(host, "subscribe marketing");

        host.Time.SetUtcNow(MondayNine);

        var post = Assert.Single(await _bot.WaitForAsync(DigestPost));
        var card = JsonNode.Parse(post.Json.GetProperty("attachments")[0].GetProperty("content").GetRawText())!.AsObject();
        var image = Assert.Single(Elements(card), element => (string?)element["type"] == "Image");
        var url = new Uri((string)image["url"]!);
        Assert.Equal("growthbot.example.com", url.Host);
        Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
        Assert.Matches("^/teams/images/[0-9a-f]{64}\\.png$", url.AbsolutePath);
        Assert.DoesNotContain("was left out", Texts(card), StringComparison.Ordinal);
        Assert.True(post.Body.Length < 80 * 1024, $"the digest activity is {post.Body.Length} bytes");

        using var client = host.CreateClient();
        using var served = await client.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.True(served.Headers.CacheControl!.Private);
        Assert.False(served.Headers.CacheControl.Public);
        var png = await served.Content.ReadAsByteArrayAsync();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // The id is the content hash: these are the bytes the bot rendered into the card.
        Assert.Equal(url.AbsolutePath["/teams/images/".Length..^".png".Length], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)));
        using var unknown = await client.GetAsync("/teams/images/" + new string('0', 64) + ".png" + url.Query);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var unsigned = await client.GetAsync(url.AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, unsigned.StatusCode);

        // After a restart (a deploy, say) the card already posted still shows its chart: it is kept in the store.
        await host.DisposeAsync();
        var restarted = Start(MondayNine.AddHours(1), HostedCharts);
        using var afterRestart = await restarted.CreateClient().GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
        Assert.Equal(png, await afterRestart.Content.ReadAsByteArrayAsync());

        // The link expires (Teams:ChartLinkLifetime, 30 days by default): afterwards the same URL is a bare 404.
        restarted.Time.Advance(TimeSpan.FromDays(30));
        using var expired = await restarted.CreateClient().GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Empty(await expired.Content.ReadAsByteArrayAsync());

        var (code, output) = GrowthBot.Teams.Tests.Rendering.CardValidator.Validate(new JsonObject { ["teamsDigestWithHostedChart"] = card.DeepClone() }, "digest-hosted-chart");
        Assert.True(code == 0, output);
        Assert.Contains("1 card(s) checked, 0 problem(s)", output, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> Elements(JsonObject card) => card["body"]!.AsArray().Select(element => element!.AsObject());

    private static bool DigestPost(ConnectorCall call) => call.Kind == "send" && call.Body.Contains("Marketing digest", StringComparison.Ordinal);

    private TeamsHostFactory Start(DateTimeOffset now, IReadOnlyDictionary<string, string>? settings = null)
    {
        var host = new TeamsHostFactory(_bot, _store.DbPath, settings: settings);
        host.Time.SetUtcNow(now);
        host.CreateClient().Dispose();
        _hosts.Add(host);
        return host;
    }

    /// <summary>Staff write in the team's General channel, mentioning the bot as Teams does; returns the bot's reply in the thread.</summary>
    private async Task<string> Command(TeamsHostFactory host, string command, string thread = "1764151700001", string? locale = null)
    {
        var replies = _bot.Calls.Count(call => call.Kind == "reply");
        var activity = JsonNode.Parse(host.Activity("message_channel_mention.json"))!.AsObject();
        activity["id"] = thread;
        activity["text"] = "<at>GrowthBot</at>&nbsp;" + command;
        activity["from"] = new JsonObject { ["id"] = StaffAccount, ["name"] = "Sam Staff", ["aadObjectId"] = StaffAad };
        activity["conversation"]!["id"] = General + ";messageid=" + thread;
        activity["channelData"]!["teamsChannelId"] = General;
        activity["channelData"]!["channel"] = new JsonObject { ["id"] = General };
        activity["entities"] = new JsonArray
        {
            new JsonObject { ["type"] = "mention", ["text"] = "<at>GrowthBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + BotFrameworkTokens.AppId, ["name"] = "GrowthBot" } },
        };
        if (locale is not null)
        {
            // Where Teams says what the user's client is set to: the activity's locale and its clientInfo entity.
            activity["locale"] = locale;
            activity["entities"]!.AsArray().Add(new JsonObject { ["locale"] = locale, ["country"] = "DE", ["platform"] = "Web", ["timezone"] = "Europe/Berlin", ["type"] = "clientInfo" });
        }

        var response = await host.PostAsync(activity.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = (await _bot.WaitForAsync(call => call.Kind == "reply", replies + 1))[replies].Json;
        return reply.TryGetProperty("text", out var text) ? text.GetString()! : Texts(JsonNode.Parse(reply.GetProperty("attachments")[0].GetProperty("content").GetRawText()));
    }

    /// <summary>Every text in a card, decoded, one per line.</summary>
    internal static string Texts(JsonNode? node) => node switch
    {
        JsonObject obj => string.Join("\n", obj.Select(pair => pair.Key == "text" && pair.Value is JsonValue value ? (string?)value ?? string.Empty : Texts(pair.Value))),
        JsonArray array => string.Join("\n", array.Select(Texts)),
        _ => string.Empty,
    };
}
