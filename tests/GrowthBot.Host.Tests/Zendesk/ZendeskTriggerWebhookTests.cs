using System.Globalization;
using System.Net;
using System.Text;
using GrowthBot.Connectors.Zendesk.Inbound;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Host.Tests.Api;

namespace GrowthBot.Host.Tests.Zendesk;

/// <summary>
/// <c>POST /webhooks/zendesk/trigger</c>: a webhook connected to a Zendesk trigger, whose body is
/// docs/connectors.md's template as Zendesk renders its placeholders, with Zendesk's headers
/// (<c>x-zendesk-webhook-id</c>, <c>x-zendesk-webhook-invocation-id</c>, the signature pair).
/// </summary>
public sealed class ZendeskTriggerWebhookTests : IDisposable
{
    private const string Secret = "dHJpZ2dlcl93ZWJob29rX3NlY3JldF9mb3JfdGVzdHM=";
    private const string WebhookId = "01JEXG6Q9ZK3T1V8R5B2N4M7PA";
    private const string Customer = "8447346622462";
    private readonly ApiHost _host = new(new Dictionary<string, string> { ["Zendesk:WebhookSecret"] = Secret });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Trigger_SolvedTicket_IsWrittenAndStartsTheCesSurvey()
    {
        _host.Service<ISurveyStore>().SaveRecipients([new SurveyRecipient(Customer, ChatPlatform.Slack, "U0ANA")]);

        var (status, body) = await SendAsync("trigger.solved", "8350205582");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"applied\"", body, StringComparison.Ordinal);
        Assert.Equal(new Ticket("5158", Customer, new DateTime(2025, 6, 15, 9, 12, 0, DateTimeKind.Utc), new DateTime(2025, 6, 15, 11, 30, 0, DateTimeKind.Utc), 1), Assert.Single(Tickets()));
        Assert.Single(_host.Service<ISurveyStore>().InvitationsOfRun(SurveyRun.TicketRunId));
    }

    [Fact]
    public async Task Trigger_SameInvocationRetried_IsAppliedOnce()
    {
        _host.Service<ISurveyStore>().SaveRecipients([new SurveyRecipient(Customer, ChatPlatform.Slack, "U0ANA")]);
        await SendAsync("trigger.solved", "8350205582");
        // Zendesk retries an invocation (after a timeout, a 409 …) with the same invocation id and a new signature timestamp.
        _host.Factory.Time.Advance(TimeSpan.FromSeconds(30));

        var (status, body) = await SendAsync("trigger.solved", "8350205582");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"duplicate\"", body, StringComparison.Ordinal);
        Assert.Single(Tickets());
        Assert.Single(_host.Service<ISurveyStore>().InvitationsOfRun(SurveyRun.TicketRunId));
    }

    [Fact]
    public async Task Trigger_OlderSolveArrivingAfterTheReopen_KeepsTheTicketOpen()
    {
        await SendAsync("trigger.reopened", "8350205999");

        var (status, body) = await SendAsync("trigger.solved", "8350205582");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"stale\"", body, StringComparison.Ordinal);
        Assert.Null(Assert.Single(Tickets()).ResolvedAt);
    }

    [Fact]
    public async Task Trigger_ForgedUnidentifiedOrUnrenderedDeliveries_Are400AndWriteNothing()
    {
        var payload = Fixture("trigger.solved");
        var now = Timestamp;

        var forged = await PostAsync(payload, now, Sign(payload, now, "c29tZW9uZSBlbHNl"), "1");
        var noInvocation = await PostAsync(payload, now, Sign(payload, now, Secret), invocationId: null);
        var unrendered = Fixture("trigger.solved").Replace("\"5158\"", "\"{{ticket.id}}\"", StringComparison.Ordinal);
        var placeholder = await PostAsync(unrendered, now, Sign(unrendered, now, Secret), "2");
        var misspelt = Fixture("trigger.solved").Replace("Solved", "Soved", StringComparison.Ordinal);
        var badStatus = await PostAsync(misspelt, now, Sign(misspelt, now, Secret), "3");

        Assert.All([forged, noInvocation, placeholder, badStatus], response => Assert.Equal(HttpStatusCode.BadRequest, response.Status));
        Assert.Contains("x-zendesk-webhook-invocation-id", noInvocation.Body, StringComparison.Ordinal);
        Assert.Contains("ticket_id", placeholder.Body, StringComparison.Ordinal);
        Assert.Contains("'Soved'", badStatus.Body, StringComparison.Ordinal);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    private string Timestamp => _host.Factory.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private Task<(HttpStatusCode Status, string Body)> SendAsync(string fixture, string invocationId)
    {
        var payload = Fixture(fixture);
        var timestamp = Timestamp;
        return PostAsync(payload, timestamp, Sign(payload, timestamp, Secret), invocationId);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string payload, string timestamp, string signature, string? invocationId)
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/zendesk/trigger") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-zendesk-account-id", "123456");
        request.Headers.TryAddWithoutValidation("x-zendesk-webhook-id", WebhookId);
        if (invocationId is not null) request.Headers.TryAddWithoutValidation("x-zendesk-webhook-invocation-id", invocationId);
        request.Headers.TryAddWithoutValidation(ZendeskSignature.TimestampHeader, timestamp);
        request.Headers.TryAddWithoutValidation(ZendeskSignature.SignatureHeader, signature);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The signature Zendesk sends: base64 HMAC-SHA256 of the timestamp followed by the body.</summary>
    private static string Sign(string payload, string timestamp, string secret)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + payload)));
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Zendesk", "Fixtures", name + ".json"));

    private List<Ticket> Tickets()
    {
        var rows = new TicketRows();
        _host.Service<IGrowthStore>().ReadAll(rows);
        return rows.Tickets;
    }

    private sealed class TicketRows : IGrowthDataSink
    {
        public List<Ticket> Tickets { get; } = [];

        public void Add(Customer customer) { }
        public void Add(SubscriptionChange change) { }
        public void Add(Order order) { }
        public void Add(SpendEntry spend) { }
        public void Add(Ticket ticket) => Tickets.Add(ticket);
        public void Add(SurveyResponse response) { }
    }
}
