using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GrowthBot.Host.Tests.Hosting;
using GrowthBot.Slack.Tests.Support;
using GrowthBot.Storage.Tests.DiskFull;

namespace GrowthBot.Host.Tests.Stripe;

/// <summary>
/// Stripe deliveries that arrive together while the store's disk is full: every one of the batch
/// is refused with 503 and Retry-After (Stripe retries), nothing of them is recorded, and the
/// retries are applied as new once the disk is freed.
/// </summary>
public sealed class StripeWebhookDiskFullTests : IDisposable
{
    private const string Secret = "whsec_test_growthbot_0123456789abcdef";
    private readonly SmallDisk? _disk = SmallDisk.WhyNot is null ? SmallDisk.Mount(16) : null;

    public void Dispose() => _disk?.Dispose();

    [SmallDiskFact]
    public async Task Webhooks_ArrivingTogetherOnAFullDisk_AreEach503WithRetryAfterThenAppliedWhenRetried()
    {
        using var host = new GrowthBotFactory(Path.Combine(_disk!.Folder, "growthbot.db"), "Production", new Dictionary<string, string>
        {
            ["Stripe:WebhookSecret"] = Secret,
            ["Stripe:ReportingCurrency"] = "usd",
        });
        host.CreateClient().Dispose();
        var now = host.Time.GetUtcNow().ToUnixTimeSeconds();
        var deliveries = Enumerable.Range(1, 3).Select(i => Signed(Payload(i), now)).ToList();
        // A host that has applied a delivery before its disk fills (the store's services are made on first use).
        using (var first = await PostAsync(host, Signed(Payload(0), now))) Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        _disk.Fill();
        var refused = await Task.WhenAll(deliveries.Select(delivery => PostAsync(host, delivery)));
        _disk.Free();
        var retried = new List<string>();
        foreach (var delivery in deliveries)
        {
            using var response = await PostAsync(host, delivery);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            retried.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.All(refused, response =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("30", response.Headers.RetryAfter?.ToString());
            response.Dispose();
        });
        Assert.All(retried, body => Assert.Contains("\"outcome\":\"applied\"", body, StringComparison.Ordinal));
    }

    /// <summary>Stripe's customer.created event for a customer of its own.</summary>
    private static string Payload(int i)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Stripe", "Fixtures", "customer.created.json")))!.AsObject();
        json["id"] = $"evt_1QDiskFull{i:D5}";
        json["data"]!["object"]!["id"] = $"cus_DiskFull{i:D5}";
        return json.ToJsonString();
    }

    private static (string Payload, string Signature) Signed(string payload, long timestamp)
    {
        NodeTools.EnsureInstalled();
        var file = Path.Combine(Path.GetTempPath(), $"growthbot-stripe-payload-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, payload);
        try
        {
            var (code, output) = NodeTools.Run("node", ["stripe-sign.js", file, Secret, timestamp.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
            Assert.True(code == 0, output);
            return (payload, output.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(GrowthBotFactory host, (string Payload, string Signature) delivery)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/stripe") { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", delivery.Signature);
        return await client.SendAsync(request);
    }
}
