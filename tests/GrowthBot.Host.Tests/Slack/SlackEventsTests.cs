using System.Net;
using System.Text.Json;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>The Events API end to end: signed requests in, Web API calls out to the loopback fake.</summary>
public sealed class SlackEventsTests : SlackHostTest
{
    [Fact]
    public async Task UrlVerification_EchoesTheChallenge()
    {
        var response = await Host.PostEventAsync(Fixture("url_verification.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", json.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task Start_AsksAuthTestWhoTheBotIs()
    {
        var call = Assert.Single(await Slack.WaitForAsync("auth.test"));
        Assert.Equal("Bearer xoxb-test-token", call.Authorization);
    }

    [Fact]
    public async Task Mention_IsAcknowledgedAndAnsweredInItsThread()
    {
        var response = await Host.PostEventAsync(Fixture("app_mention.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var post = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("C0GROWTH", post.GetProperty("channel").GetString());
        Assert.Equal("1732615200.000100", post.GetProperty("thread_ts").GetString());
        Assert.Equal("You asked: what's our churn this month?", post.GetProperty("text").GetString());
        Assert.Equal("header", post.GetProperty("blocks")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task DirectMessage_IsAnsweredInTheDm()
    {
        await Host.PostEventAsync(Fixture("message_im.json"));

        var post = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("D0DIRECT", post.GetProperty("channel").GetString());
        Assert.False(post.TryGetProperty("thread_ts", out _));
    }

    [Fact]
    public async Task RetriedEvent_IsAnsweredOnce()
    {
        var first = await Host.PostEventAsync(Fixture("app_mention.json"));
        var retries = await Task.WhenAll(
            Host.PostEventAsync(Fixture("app_mention.json"), new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_timeout" }),
            Host.PostEventAsync(Fixture("app_mention.json"), new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "2", ["X-Slack-Retry-Reason"] = "http_timeout" }));
        await Host.PostEventAsync(Fixture("message_im.json")); // a later, different event: once it is answered, the retries would have been too

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.All(retries, retry => Assert.Equal(HttpStatusCode.OK, retry.StatusCode));
        var posts = await Slack.WaitForAsync("chat.postMessage", 2);
        Assert.Equal(2, posts.Count);
        Assert.Single(posts, post => post.Json.GetProperty("channel").GetString() == "C0GROWTH");
        Assert.Equal(2, Handler.Received.Count);
    }

    [Fact]
    public async Task EditsAndBotMessages_AreAcknowledgedButNotAnswered()
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.PostEventAsync(Fixture("message_changed.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.PostEventAsync(Fixture("bot_message_im.json"))).StatusCode);
        await Host.PostEventAsync(Fixture("message_im.json"));

        Assert.Single(await Slack.WaitForAsync("chat.postMessage"));
        Assert.Single(Handler.Received);
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("stale")]
    [InlineData("future")]
    public async Task BadSignature_IsRefusedWith401AndNothingHappens(string kind)
    {
        var now = Host.Time.GetUtcNow();
        var response = kind switch
        {
            "forged" => await Host.PostSignedAsync("/slack/events", Fixture("app_mention.json"), "application/json", secret: "someone-elses-secret"),
            "stale" => await Host.PostSignedAsync("/slack/events", Fixture("app_mention.json"), "application/json", now.AddMinutes(-6)),
            _ => await Host.PostSignedAsync("/slack/events", Fixture("app_mention.json"), "application/json", now.AddMinutes(6)),
        };

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Handler.Received);
    }

    [Fact]
    public async Task MissingSignature_IsRefusedWith401()
    {
        using var client = Host.CreateClient();
        using var content = new StringContent(Fixture("url_verification.json"), System.Text.Encoding.UTF8, "application/json");

        var response = await client.PostAsync(new Uri("/slack/events", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task MalformedJson_IsA400NotA500()
    {
        var response = await Host.PostEventAsync("{\"type\": \"event_callback\", \"event\": {");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_IsRefusedWith413()
    {
        var huge = "{\"type\":\"event_callback\",\"padding\":\"" + new string('x', 600 * 1024) + "\"}";

        var response = await Host.PostEventAsync(huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task RateLimitedPost_IsRetriedAfterRetryAfter()
    {
        Slack.RateLimitNext("chat.postMessage", retryAfterSeconds: 30);

        await Host.PostEventAsync(Fixture("app_mention.json"));
        await Slack.WaitForAsync("chat.postMessage!scripted");

        // Move the bot's clock on a second at a time until it retries; it must not retry before Retry-After.
        var advanced = 0;
        while (!Slack.Calls.Any(call => call.Method == "chat.postMessage") && advanced < 120)
        {
            Host.Time.Advance(TimeSpan.FromSeconds(1));
            advanced++;
            try
            {
                await Slack.WaitForAsync("chat.postMessage", limit: TimeSpan.FromMilliseconds(100));
            }
            catch (TimeoutException)
            {
                // Not yet: advance again.
            }
        }

        Assert.InRange(advanced, 30, 32);
        var post = Assert.Single(await Slack.WaitForAsync("chat.postMessage")).Json;
        Assert.Equal("C0GROWTH", post.GetProperty("channel").GetString());
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", name));
}
