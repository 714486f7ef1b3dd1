using System.Net;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Host.Tests.Api;

/// <summary><c>POST /api/v1/import/{kind}</c> on the real host: formats, all-or-nothing, idempotence, limits.</summary>
public sealed class ImportApiTests : IDisposable
{
    private const string Customers = """
        customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
        c1,Acme,SMB,organic,2025-01-05,2025-01-07
        c2,Globex,Enterprise,paid-search,2025-02-10T09:30:00Z,
        c3,Initech,SMB,organic,2025-03-01,2025-03-20
        """;

    private readonly ApiHost _host = new(new Dictionary<string, string> { ["Api:MaxImportBytes"] = "4096" });

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Import_Csv_WritesTheRowsAndTheEngineSeesThem()
    {
        using var client = _host.Client(_host.Key("crm"));

        using var response = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(Customers, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("inserted").GetInt32());
        Assert.Equal(3, _host.Service<IMetricEngine>().Statistics.Customers);
    }

    [Fact]
    public async Task Import_SameBodyTwice_ChangesNothing()
    {
        using var client = _host.Client(_host.Key("crm"));
        (await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(Customers, "text/csv"))).Dispose();

        using var response = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), new StringContent(Customers.ReplaceLineEndings("\n"), System.Text.Encoding.UTF8, "text/csv"));

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, json.RootElement.GetProperty("inserted").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("unchanged").GetInt32());
    }

    [Fact]
    public async Task Import_JsonArrayAndNdjson_ReadTheSameColumns()
    {
        using var client = _host.Client(_host.Key("crm"));
        const string array = """
            [{"customer_id":"c1","name":"Acme","segment":"SMB","acquisition_channel":"organic","signed_up_at":"2025-01-05","activated_at":null},
             {"customer_id":"c2","segment":"Enterprise","acquisition_channel":"paid-search","signed_up_at":"2025-02-10T09:30:00Z"}]
            """;
        const string lines = """
            {"customer_id":"c1","date":"2025-01-10","mrr":100}
            {"customer_id":"c2","date":"2025-02-15","mrr":"1000.50"}
            """;

        using var customers = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(array, "application/json"));
        using var subscriptions = await client.PostAsync(new Uri("api/v1/import/subscriptions", UriKind.Relative), ApiHost.Body(lines, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.OK, customers.StatusCode);
        Assert.Equal(HttpStatusCode.OK, subscriptions.StatusCode);
        Assert.Equal(2, _host.Service<IMetricEngine>().Statistics.Customers);
        Assert.Equal(2, _host.Service<IMetricEngine>().Statistics.SubscriptionMovements);
    }

    [Fact]
    public async Task Import_BadRows_Is422ListingEveryRowAndWritesNothing()
    {
        using var client = _host.Client(_host.Key("crm"));
        const string body = """
            customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
            c1,Acme,SMB,organic,2025-01-05,2025-01-07
            c2,Globex,,paid-search,2025-02-30,
            c3,Initech,SMB,organic,2025-03-01,2025-02-20
            """;

        using var response = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(body, "text/csv"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([3L, 4L], errors.Select(error => error.GetProperty("line").GetInt64()));
        Assert.Contains("segment is empty", errors[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("activated_at is before signed_up_at", errors[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _host.Service<IMetricEngine>().Statistics.Customers);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    [Fact]
    public async Task Import_BadJsonItems_Is422NamingTheItems()
    {
        using var client = _host.Client(_host.Key("crm"));
        const string array = """[{"customer_id":"c1","date":"2025-01-10","mrr":100},{"customer_id":{"id":"c2"},"date":"2025-01-10","mrr":5},7]""";

        using var response = await client.PostAsync(new Uri("api/v1/import/subscriptions", UriKind.Relative), ApiHost.Body(array, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var errors = json.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["item 2", "item 3"], errors.Select(error => $"{error.GetProperty("unit").GetString()} {error.GetProperty("line").GetInt64()}"));
        Assert.Contains("customer_id is an object", errors[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, _host.Service<IMetricEngine>().Statistics.SubscriptionMovements);
    }

    [Fact]
    public async Task Import_UnknownContentType_Is415()
    {
        using var client = _host.Client(_host.Key("crm"));

        using var response = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(Customers, "application/xml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("text/csv", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_UnknownKind_Is404WithTheKinds()
    {
        using var client = _host.Client(_host.Key("crm"));

        using var response = await client.PostAsync(new Uri("api/v1/import/invoices", UriKind.Relative), ApiHost.Body(Customers, "text/csv"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("customers, subscriptions", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_BodyAboveTheLimit_Is413AndWritesNothing()
    {
        using var client = _host.Client(_host.Key("crm"));
        var rows = string.Concat(Enumerable.Range(0, 200).Select(i => $"c{i},Name {i},SMB,organic,2025-01-05,\n"));
        var body = "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\n" + rows;

        using var declared = await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(body, "text/csv"));
        // Chunked: no Content-Length to check first, so the limit is found while reading.
        using var chunked = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/import/customers") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(0, _host.Service<IMetricEngine>().Statistics.Customers);
    }

    [Fact]
    public async Task Import_ResolvedTickets_ScheduleTheCesSurvey()
    {
        _host.StoreCustomers("c1");
        using var client = _host.Client(_host.Key("support"));
        _host.Service<ISurveyStore>().SaveRecipients([new SurveyRecipient("c1", ChatPlatform.Slack, "U0ANA")]);
        var resolved = _host.Factory.Time.GetUtcNow().AddMinutes(-5).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var body = $"ticket_id,customer_id,opened_at,resolved_at,contacts\nT-1,c1,2025-06-14,{resolved},1\nT-2,c1,2025-06-14,,1\n";

        using var response = await client.PostAsync(new Uri("api/v1/import/tickets", UriKind.Relative), ApiHost.Body(body, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var invitation = Assert.Single(_host.Service<ISurveyStore>().InvitationsOfRun(SurveyRun.TicketRunId));
        Assert.Equal(Core.Data.SurveyKind.Ces, invitation.Kind);
        Assert.Equal("U0ANA", invitation.UserId);
    }

    [Fact]
    public async Task Import_RowsForUnknownCustomers_Are422ByLine_AndNothingIsWritten()
    {
        _host.StoreCustomers("c1");
        using var client = _host.Client(_host.Key("crm"));

        using var response = await client.PostAsync(new Uri("api/v1/import/subscriptions", UriKind.Relative),
            ApiHost.Body("customer_id,date,mrr\nc9,2025-06-01,50\nC1,2025-06-02,70\n", "text/csv"));

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        // The JSON encoder escapes quotes, so the reasons are read back as text.
        var body = System.Text.RegularExpressions.Regex.Unescape(await response.Content.ReadAsStringAsync());
        Assert.Contains("customer c9 does not exist; import customers first", body, StringComparison.Ordinal);
        Assert.Contains("customer id 'C1' differs from 'c1', already in the store, only in case", body, StringComparison.Ordinal);
        Assert.Equal(0, _host.Service<IMetricEngine>().Statistics.SubscriptionMovements);
    }

    [Fact]
    public async Task OpenApi_DescribesTheImportEndpoint()
    {
        using var client = _host.Client();

        var document = await client.GetStringAsync(new Uri("openapi/v1.json", UriKind.Relative));

        using var json = JsonDocument.Parse(document);
        var import = json.RootElement.GetProperty("paths").GetProperty("/api/v1/import/{kind}").GetProperty("post");
        Assert.True(import.GetProperty("responses").TryGetProperty("422", out _));
        Assert.True(import.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
    }
}
