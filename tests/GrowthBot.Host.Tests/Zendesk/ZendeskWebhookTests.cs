using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GrowthBot.Connectors.Zendesk.Inbound;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Freshness;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Host.Tests.Api;

namespace GrowthBot.Host.Tests.Zendesk;

/// <summary>
/// <c>POST /webhooks/zendesk</c> on the real host, with Zendesk-shaped ticket events signed as
/// Zendesk signs them (base64 HMAC-SHA256 of the ISO 8601 timestamp followed by the body) at the
/// host's fake clock.
/// </summary>
public sealed class ZendeskWebhookTests : IDisposable
{
    private const string Secret = "dGhpc19zZWNyZXRfaXNfZm9yX2dyb3d0aGJvdF90ZXN0cw==";
    private const string Customer = "8447346622462";
    private readonly ApiHost _host = new(new Dictionary<string, string>
    {
        ["Zendesk:WebhookSecret"] = "b2xkIHNlY3JldCBiZWluZyByb2xsZWQ=, " + Secret,
    });

    public void Dispose() => _host.Dispose();

    private string Timestamp => _host.Factory.Time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Webhook_SolvedTicket_IsWrittenWithItsTimesAndCustomer()
    {
        await SendAsync("ticket.created");
        var (status, body) = await SendAsync("ticket.status_changed.solved");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"applied\"", body, StringComparison.Ordinal);
        var ticket = Assert.Single(Tickets());
        Assert.Equal(new Ticket("5158", Customer, new DateTime(2025, 6, 15, 9, 12, 7, DateTimeKind.Utc), new DateTime(2025, 6, 15, 11, 30, 0, DateTimeKind.Utc), 1), ticket);
    }

    [Fact]
    public async Task Webhook_SolvedWithOnePublicAgentReply_IsFirstContactResolution()
    {
        await SendAsync("ticket.created");
        await SendAsync("ticket.comment_added.agent_reply");
        await SendAsync("ticket.comment_added.internal_note");
        await SendAsync("ticket.comment_added.customer");
        await SendAsync("ticket.status_changed.solved");

        Assert.Equal(1, Assert.Single(Tickets()).Contacts);
    }

    [Fact]
    public async Task Webhook_SecondPublicAgentReply_IsNotFirstContactResolution_EvenWhenItArrivesAfterTheSolve()
    {
        await SendAsync("ticket.comment_added.agent_reply");
        await SendAsync("ticket.status_changed.solved");
        // Zendesk does not guarantee the order of the events of one update: the reply sent with "Submit as Solved" may come last.
        await SendAsync("ticket.comment_added.agent_reply.second");

        var ticket = Assert.Single(Tickets());
        Assert.Equal(2, ticket.Contacts);
        Assert.Equal(new DateTime(2025, 6, 15, 11, 30, 0, DateTimeKind.Utc), ticket.ResolvedAt);
    }

    [Fact]
    public async Task Webhook_ReopenedAfterSolved_IsUnresolvedUntilSolvedAgain()
    {
        await SendAsync("ticket.comment_added.agent_reply");
        await SendAsync("ticket.status_changed.solved");
        await SendAsync("ticket.status_changed.reopened");
        var reopened = Assert.Single(Tickets());
        await SendAsync("ticket.comment_added.agent_reply.second");
        await SendAsync("ticket.status_changed.solved.again");

        Assert.Null(reopened.ResolvedAt);
        var solved = Assert.Single(Tickets());
        Assert.Equal(new DateTime(2025, 6, 15, 11, 55, 0, DateTimeKind.Utc), solved.ResolvedAt);
        Assert.Equal(2, solved.Contacts);
    }

    [Fact]
    public async Task Webhook_SolveArrivingAfterTheLaterReopen_IsStaleAndIgnored()
    {
        await SendAsync("ticket.status_changed.reopened");

        var (status, body) = await SendAsync("ticket.status_changed.solved");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"stale\"", body, StringComparison.Ordinal);
        Assert.Null(Assert.Single(Tickets()).ResolvedAt);
    }

    [Fact]
    public async Task Webhook_SameDeliveryTwice_IsAppliedOnce()
    {
        _host.Service<ISurveyStore>().SaveRecipients([new SurveyRecipient(Customer, ChatPlatform.Slack, "U0ANA")]);
        await SendAsync("ticket.comment_added.agent_reply");
        await SendAsync("ticket.status_changed.solved");

        var (status, body) = await SendAsync("ticket.status_changed.solved");
        // A retry of the reply must not count as a second reply either.
        await SendAsync("ticket.comment_added.agent_reply");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"outcome\":\"duplicate\"", body, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(Tickets()).Contacts);
        Assert.Single(_host.Service<ISurveyStore>().InvitationsOfRun(SurveyRun.TicketRunId));
    }

    [Fact]
    public async Task Webhook_SolvedTicket_StartsTheCesSurveyForTheCustomersChatUsers()
    {
        _host.Service<ISurveyStore>().SaveRecipients([new SurveyRecipient(Customer, ChatPlatform.Slack, "U0ANA")]);

        await SendAsync("ticket.status_changed.solved");

        var invitation = Assert.Single(_host.Service<ISurveyStore>().InvitationsOfRun(SurveyRun.TicketRunId));
        Assert.Equal(SurveyKind.Ces, invitation.Kind);
        Assert.Equal(Customer, invitation.CustomerId);
        Assert.Equal("U0ANA", invitation.UserId);
    }

    [Fact]
    public async Task Webhook_OpenTicket_StartsNoSurvey_AndRecordsSupportFreshness()
    {
        _host.Service<ISurveyStore>().SaveRecipients([new SurveyRecipient(Customer, ChatPlatform.Slack, "U0ANA")]);

        await SendAsync("ticket.created");

        Assert.Empty(_host.Service<ISurveyStore>().InvitationsOfRun(SurveyRun.TicketRunId));
        var support = Assert.Single(_host.Service<SourceFreshness>().Status(), status => status.Source == DataSource.Support);
        Assert.Equal(_host.Factory.Time.GetUtcNow(), support.LastEventAt);
        Assert.False(support.Stale);
    }

    [Fact]
    public async Task Webhook_UnknownEventType_Is200AndIgnored()
    {
        var (user, userBody) = await SendAsync("user.active_changed");
        var (deleted, _) = await SendAsync("ticket.soft_deleted");

        Assert.Equal(HttpStatusCode.OK, user);
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Contains("ignored", userBody, StringComparison.Ordinal);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    [Fact]
    public async Task Webhook_ForgedMissingStaleOrTamperedSignature_Is400AndWritesNothing()
    {
        var payload = Fixture("ticket.status_changed.solved");
        var now = Timestamp;
        var old = _host.Factory.Time.GetUtcNow().AddMinutes(-6).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        var forged = await PostAsync(payload, now, Sign(payload, now, "c29tZW9uZSBlbHNl"));
        var missingSignature = await PostAsync(payload, now, null);
        var missingTimestamp = await PostAsync(payload, null, Sign(payload, now, Secret));
        var stale = await PostAsync(payload, old, Sign(payload, old, Secret));
        var tampered = await PostAsync(payload.Replace("SOLVED", "OPEN", StringComparison.Ordinal), now, Sign(payload, now, Secret));

        Assert.All([forged, missingSignature, missingTimestamp, stale, tampered], response => Assert.Equal(HttpStatusCode.BadRequest, response.Status));
        Assert.Contains("signature could not be verified", forged.Body, StringComparison.Ordinal);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
        Assert.DoesNotContain(_host.Factory.Logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
        // Five refusals in a minute: one log line, with the count of the others in the next one.
        Assert.Single(_host.Factory.Logs.Lines, line => line.Contains("Refused a Zendesk webhook: signature", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Webhook_MalformedJsonOrNotATicketEvent_Is400NotA500()
    {
        var truncated = await SendPayloadAsync("{\"type\":\"zen:event-type:ticket.status_changed\",\"id\":");
        var noDetail = await SendPayloadAsync(Fixture("ticket.status_changed.solved", json => json.Remove("detail")));

        Assert.Equal(HttpStatusCode.BadRequest, truncated.Status);
        Assert.Contains("the body is not JSON", truncated.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noDetail.Status);
        Assert.Contains("the event has no ticket detail", noDetail.Body, StringComparison.Ordinal);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    [Fact]
    public async Task Webhook_BodyAboveTheLimit_Is413()
    {
        var payload = Fixture("ticket.created", json => json["detail"]!["description"] = new string('x', ZendeskEndpoints.MaxBodyBytes));

        var (status, _) = await SendPayloadAsync(payload);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }

    [Fact]
    public async Task Webhook_NoSigningSecretConfigured_Is503()
    {
        using var unconfigured = new ApiHost();
        using var client = unconfigured.Client();
        using var content = new StringContent(Fixture("ticket.created"), Encoding.UTF8, "application/json");

        using var response = await client.PostAsync(new Uri("webhooks/zendesk", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private Task<(HttpStatusCode Status, string Body)> SendAsync(string fixture) => SendPayloadAsync(Fixture(fixture));

    private Task<(HttpStatusCode Status, string Body)> SendPayloadAsync(string payload)
    {
        var timestamp = Timestamp;
        return PostAsync(payload, timestamp, Sign(payload, timestamp, Secret));
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string payload, string? timestamp, string? signature)
    {
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/zendesk") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (timestamp is not null) request.Headers.TryAddWithoutValidation(ZendeskSignature.TimestampHeader, timestamp);
        if (signature is not null) request.Headers.TryAddWithoutValidation(ZendeskSignature.SignatureHeader, signature);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The signature Zendesk sends: base64 HMAC-SHA256 of the timestamp followed by the body, computed here independently of the connector.</summary>
    private static string Sign(string payload, string timestamp, string secret)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + payload)));
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Zendesk", "Fixtures", name + ".json"));

    private static string Fixture(string name, Action<JsonObject> change)
    {
        var json = JsonNode.Parse(Fixture(name))!.AsObject();
        change(json);
        return json.ToJsonString();
    }

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
