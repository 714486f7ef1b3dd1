using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Tests.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Operations;

/// <summary><c>GET /internal/metrics</c>: Prometheus counters behind the admin credential, moving as the bot works.</summary>
public sealed class MetricsEndpointTests : SlackHostTest
{
    [Fact]
    public async Task Metrics_WithoutAKey_OrWithAnIngestKey_IsRefused()
    {
        using var anonymous = Host.CreateClient();
        using var ingest = Client(Host.Services.GetRequiredService<ApiKeyService>().Create("loader", [ApiKeyScopes.Ingest]).Key);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/internal/metrics", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ingest.GetAsync(new Uri("/internal/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Metrics_WithAnAdminKey_ShowsTheCountersMovingAsMessagesAreAnswered()
    {
        using var admin = Client(Host.Services.GetRequiredService<ApiKeyService>().Create("scraper", [ApiKeyScopes.Admin]).Key);
        var before = await ScrapeAsync(admin);

        await Host.PostEventAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "message_im.json")));
        await Slack.WaitForAsync("chat.postMessage");
        // Slack has the post; the worker counts it once Slack's answer is back.
        var after = await ScrapeAsync(admin);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (after.Value("growthbot_answers_sent_total{platform=\"slack\"}") == 0)
            {
                await Task.Delay(20, limit.Token);
                after = await ScrapeAsync(admin);
            }
        }

        Assert.Contains("# TYPE growthbot_events_received_total counter", after.Text, StringComparison.Ordinal);
        Assert.Contains("# TYPE growthbot_queue_depth gauge", after.Text, StringComparison.Ordinal);
        Assert.Contains("growthbot_queue_depth{state=\"waiting\"} 0", after.Text, StringComparison.Ordinal);
        Assert.Equal(0, before.Value("growthbot_events_received_total{platform=\"slack\"}"));
        Assert.Equal(1, after.Value("growthbot_events_received_total{platform=\"slack\"}"));
        Assert.Equal(1, after.Value("growthbot_answers_sent_total{platform=\"slack\"}"));
        foreach (var name in new[] { "growthbot_digests_delivered_total", "growthbot_digests_failed_total", "growthbot_survey_responses_total" })
        {
            Assert.Contains($"# TYPE {name} counter", after.Text, StringComparison.Ordinal);
        }
    }

    private HttpClient Client(string key)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<Scrape> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/internal/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    private sealed record Scrape(string Text)
    {
        /// <summary>The value of one series (0 when it is not there yet).</summary>
        public long Value(string series)
        {
            var match = Regex.Match(Text, "^" + Regex.Escape(series) + @" (\d+)$", RegexOptions.Multiline);
            return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        }
    }
}
