using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Tests.Api;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Host.Tests.Teams;
using GrowthBot.Slack.Inbound;

namespace GrowthBot.Host.Tests.Security;

/// <summary>Issue 18, item 9: broken bodies that pass authentication get 400 or 415, never 500.</summary>
public sealed class MalformedBodyTests
{
    /// <summary>"caf" then 0xC3 0x28: a two-byte lead followed by a byte that cannot continue it.</summary>
    private static byte[] WithInvalidUtf8(string json, string placeholder)
    {
        var at = json.IndexOf(placeholder, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), (byte)'c', (byte)'a', (byte)'f', 0xC3, 0x28, .. Encoding.UTF8.GetBytes(json[(at + placeholder.Length)..])];
    }

    [Fact]
    public async Task SlackEvent_SignedButInvalidUtf8_Is400()
    {
        await using var slack = await FakeSlackWebApi.StartAsync();
        using var store = new TempStore();
        await using var host = new SlackHostFactory(slack, store.DbPath);
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "message_im.json"));
        var text = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("event").GetProperty("text").GetString()!;
        var body = WithInvalidUtf8(json, text);
        var timestamp = host.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Header(timestamp, body, SlackHostFactory.SigningSecret));

        using var response = await host.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsActivity_ValidTokenButInvalidUtf8_Is400()
    {
        await using var bot = await FakeBotFramework.StartAsync();
        using var store = new TempStore();
        await using var host = new TeamsHostFactory(bot, store.DbPath);
        var body = WithInvalidUtf8(host.Activity("message_personal.json"), "what's our churn this month?");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + host.Token());

        using var response = await host.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("internal/surveys/campaigns")]
    [InlineData("api/v1/keys")]
    [InlineData("api/v1/import/customers")]
    public async Task AdminAndImportApi_TextPlainBody_Is415(string path)
    {
        using var host = new ApiHost();
        using var client = host.Client(host.Key("ops", ApiKeyScopes.Admin));

        using var response = await client.PostAsync(path, new StringContent("""{"kind":"nps","name":"x"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Campaign_JsonWithInvalidUtf8_Is400()
    {
        using var host = new ApiHost();
        using var client = host.Client(host.Key("ops", ApiKeyScopes.Admin));
        var body = WithInvalidUtf8("""{"kind":"nps","topic":"TOPIC","recipients":[{"customerId":"c","platform":"slack","userId":"U1"}]}""", "TOPIC");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("internal/surveys/campaigns", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
