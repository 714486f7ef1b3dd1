using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Host.Tests.Api;
using GrowthBot.Slack.Tests.Support;

namespace GrowthBot.Host.Tests.Stripe;

/// <summary>
/// <c>POST /webhooks/stripe</c> on the real host, with Stripe-shaped events signed by the stripe npm
/// package's <c>webhooks.generateTestHeaderString</c>, as Stripe signs them.
/// </summary>
public sealed class StripeWebhookTests : IDisposable
{
    private const string Secret = "whsec_test_growthbot_0123456789abcdef";
    private readonly ApiHost _host = new(new Dictionary<string, string>
    {
        ["Stripe:WebhookSecret"] = "whsec_old_secret_being_rolled, " + Secret,
        ["Stripe:ReportingCurrency"] = "usd",
    });

    public void Dispose() => _host.Dispose();

    private long Now => _host.Factory.Time.GetUtcNow().ToUnixTimeSeconds();

    [Fact]
    public async Task Webhook_CustomerAndSubscription_ReachTheStoreAndEngine()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("customer.created")).Status);
        var (status, body) = await SendAsync("customer.subscription.created");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"applied\"", body, StringComparison.Ordinal);
        var rows = Rows();
        Assert.Equal("Mid-Market", Assert.Single(rows.Customers).Segment);
        Assert.Equal(147m, Assert.Single(rows.Subscriptions).Mrr);
        Assert.Equal(1, _host.Service<Core.Metrics.IMetricEngine>().Statistics.Customers);
    }

    [Fact]
    public async Task Webhook_SeveralSubscriptions_AreSummedPerCustomer()
    {
        await SendAsync("customer.subscription.created");
        await SendAsync("customer.subscription.created.yearly");
        await SendAsync("customer.subscription.created.trialing");

        Assert.Equal([147m, 247m], Rows().Subscriptions.OrderBy(change => change.At).Select(change => change.Mrr));
    }

    [Fact]
    public async Task Webhook_SameEventTwice_IsAppliedOnce()
    {
        await SendAsync("customer.subscription.created");

        var (status, body) = await SendAsync("customer.subscription.created");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"duplicate\"", body, StringComparison.Ordinal);
        Assert.Single(Rows().Subscriptions);
    }

    [Fact]
    public async Task Webhook_OlderEventArrivingLate_NeverMovesTheCustomerBack()
    {
        await SendAsync("customer.subscription.created");
        await SendAsync("customer.subscription.updated");
        // The same subscription as created, with quantity 3, from before the upgrade to 5.
        var stale = Fixture("customer.subscription.created", json => json["id"] = "evt_1QSubReplay00001");

        var (status, body) = await SendAsync(stale);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"stale\"", body, StringComparison.Ordinal);
        Assert.Equal(245m, Rows().Subscriptions.MaxBy(change => change.At).Mrr);
    }

    [Fact]
    public async Task Webhook_CancelAtPeriodEnd_ChurnsWhenThePeriodEnds()
    {
        await SendAsync("customer.subscription.created");
        await SendAsync("customer.subscription.updated.cancel_at_period_end");
        Assert.Equal(245m, Rows().Subscriptions.MaxBy(change => change.At).Mrr);

        await SendAsync("customer.subscription.deleted");

        var last = Rows().Subscriptions.MaxBy(change => change.At);
        Assert.Equal(0m, last.Mrr);
        Assert.Equal(new DateTime(2025, 7, 1, 0, 0, 0, DateTimeKind.Utc), last.At);
    }

    [Fact]
    public async Task Webhook_InvoicePaid_IsAnOrder()
    {
        await SendAsync("invoice.paid");

        Assert.Equal(147m, Assert.Single(Rows().Orders).Amount);
    }

    [Fact]
    public async Task Webhook_UnknownType_Is200AndIgnored()
    {
        var (status, body) = await SendAsync("charge.refunded");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("ignored", body, StringComparison.Ordinal);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    [Fact]
    public async Task Webhook_CurrencyWithoutARate_IsRefusedWithItsReasonAndNothingWritten()
    {
        var (status, body) = await SendAsync("customer.subscription.created.eur");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("currency 'eur' has no rate to usd", body, StringComparison.Ordinal);
        Assert.Empty(Rows().Subscriptions);
        Assert.Contains(_host.Factory.Logs.Lines, line => line.Contains("refused: currency 'eur'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_ForgedMissingOrStaleSignature_Is400()
    {
        var payload = StripeFixture("customer.created");
        var forged = await PostAsync(payload, Sign(payload, "whsec_someone_else", Now));
        var missing = await PostAsync(payload, signature: null);
        var stale = await PostAsync(payload, Sign(payload, Secret, Now - 301));
        var tampered = await PostAsync(payload.Replace("Acme Inc.", "Evil Inc.", StringComparison.Ordinal), Sign(payload, Secret, Now));

        Assert.All([forged, missing, stale, tampered], response => Assert.Equal(HttpStatusCode.BadRequest, response));
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
        // Four refusals in a minute: one log line; the next minute's first says how many were not logged.
        Assert.Single(_host.Factory.Logs.Lines, line => line.Contains("Refused a Stripe webhook", StringComparison.Ordinal));
        _host.Factory.Time.Advance(TimeSpan.FromMinutes(1));
        await PostAsync(payload, signature: null);
        Assert.Contains(_host.Factory.Logs.Lines, line => line.Contains("Refused a Stripe webhook: no Stripe-Signature header; 3 more refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_ChunkedBodyLargerThanItsFirstBuffer_IsReadWhole()
    {
        // No Content-Length (chunked), and Stripe's pretty-printed body indented far deeper, so it outgrows the first buffers.
        var payload = Indented(StripeFixture("customer.created"), 100_000);
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/stripe") { Content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes(payload))) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.TryAddWithoutValidation("Stripe-Signature", Sign(payload, Secret, Now));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(Rows().Customers);
    }

    [Fact]
    public async Task Webhook_BodyOverTheLimit_Is413_WithOrWithoutContentLength()
    {
        var payload = Indented(StripeFixture("customer.created"), StripeEndpointsMaxBodyBytes + 1);
        using var client = _host.Client();
        using var declared = Request(payload, "t=1,v1=00");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "webhooks/stripe") { Content = new StreamContent(new ChunkedStream(Encoding.UTF8.GetBytes(payload))) };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=00");

        using var first = await client.SendAsync(declared);
        using var second = await client.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, first.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, second.StatusCode);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    /// <summary>The same JSON with whitespace added after each line break until it is at least <paramref name="size"/> bytes.</summary>
    private static string Indented(string json, int size)
    {
        var lines = json.Split('\n');
        var padding = new string(' ', (size / Math.Max(1, lines.Length - 1)) + 1);
        var indented = string.Join("\n" + padding, lines);
        Assert.True(Encoding.UTF8.GetByteCount(indented) >= size);
        return indented;
    }

    private const int StripeEndpointsMaxBodyBytes = GrowthBot.Connectors.Stripe.Inbound.StripeEndpoints.MaxBodyBytes;

    /// <summary>A body handed over a few KB at a time with no known length, as a chunked upload arrives.</summary>
    private sealed class ChunkedStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 3000));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 3000)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, 3000), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 3000)], cancellationToken);
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string fixture) => await SendPayloadAsync(StripeFixture(fixture));

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(JsonObject json) => await SendPayloadAsync(json.ToJsonString());

    private async Task<(HttpStatusCode Status, string Body)> SendPayloadAsync(string payload)
    {
        using var client = _host.Client();
        using var request = Request(payload, Sign(payload, Secret, Now));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpStatusCode> PostAsync(string payload, string? signature)
    {
        using var client = _host.Client();
        using var request = Request(payload, signature);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static HttpRequestMessage Request(string payload, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return request;
    }

    private static string StripeFixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Stripe", "Fixtures", name + ".json"));

    private static JsonObject Fixture(string name, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(StripeFixture(name))!.AsObject();
        change(json);
        return json;
    }

    /// <summary>The Stripe-Signature header the stripe npm package makes for this payload.</summary>
    private string Sign(string payload, string secret, long timestamp)
    {
        NodeTools.EnsureInstalled();
        var file = _host.Store.WriteFile($"payload-{Guid.NewGuid():N}.json", payload);
        var (code, output) = NodeTools.Run("node", ["stripe-sign.js", file, secret, timestamp.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, output);
        return output.Trim();
    }

    private StoredRows Rows()
    {
        var rows = new StoredRows();
        _host.Service<IGrowthStore>().ReadAll(rows);
        return rows;
    }

    private sealed class StoredRows : IGrowthDataSink
    {
        public List<Customer> Customers { get; } = [];
        public List<SubscriptionChange> Subscriptions { get; } = [];
        public List<Order> Orders { get; } = [];

        public void Add(Customer customer) => Customers.Add(customer);

        public void Add(SubscriptionChange change) => Subscriptions.Add(change);

        public void Add(Order order) => Orders.Add(order);

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) { }

        public void Add(SurveyResponse response) { }
    }
}
