using System.Net;
using System.Net.Http.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>growthbot survey send/status</c> against the real host's loopback survey API.</summary>
public sealed class SurveyCommandTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Production");
        _host.CreateClient().Dispose();
        var customers = new GrowthBot.Core.Data.GrowthDataBatch();
        foreach (var id in new[] { "C-1", "C-2", "C-3" })
        {
            customers.Customers.Add(new GrowthBot.Core.Data.Customer(id, $"Customer {id}", "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        }
        _host.Services.GetRequiredService<GrowthBot.Core.Import.ImportService>().Write(customers);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Send_RecipientsFile_LinksThemSendsAndPrintsTheFinalCounts()
    {
        var file = _store.WriteFile("recipients.csv", """
            customer_id,platform,user_id
            C-1,slack,U0ANA
            C-2,Slack,U0BEN
            C-3,teams,7f1c2d1e-0000-4000-8000-00000000aaaa
            """);

        var (code, output, error) = Run("survey", "send", "nps", "--to", file, "--platform", "slack", "--topic", "our new dashboard");

        Assert.True(code == 0, error);
        Assert.Contains("Started NPS run nps-", output, StringComparison.Ordinal);
        Assert.Contains("about our new dashboard", output, StringComparison.Ordinal);
        Assert.Contains("sent 2, answered 0 (0%)", output, StringComparison.Ordinal);
        Assert.Equal(2, (await _slack.WaitForAsync("chat.postMessage", 2)).Count);
        var surveys = _host.Services.GetRequiredService<ISurveyStore>();
        Assert.Equal("C-2", surveys.FindRecipient(ChatPlatform.Slack, "U0BEN")!.CustomerId);
        Assert.Null(surveys.FindRecipient(ChatPlatform.Teams, "7f1c2d1e-0000-4000-8000-00000000aaaa"));

        var (statusCode, status, _) = Run("survey", "status");
        Assert.Equal(0, statusCode);
        Assert.Contains("NPS nps-", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyApi_Start_Answers202WithTheRunIdAndWhereToFollowIt()
    {
        using var client = new HttpClient(_host.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = new Uri("http://localhost/") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _host.Services.GetRequiredService<GrowthBot.Host.Api.Auth.LocalHostKey>().Key);

        using var response = await client.PostAsJsonAsync(new Uri("internal/surveys/campaigns", UriKind.Relative),
            new { kind = "ces", recipients = new[] { new { customerId = "C-1", platform = "slack", userId = "U0ANA" } } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var runId = body.GetProperty("runId").GetString()!;
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal($"/internal/surveys/campaigns/{runId}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public void Send_BadFile_ListsEveryProblemAndAsksNobody()
    {
        var file = _store.WriteFile("bad.csv", """
            customer_id,platform,user_id
            C-1,email,U0ANA
            ,slack,
            """);

        var (code, _, error) = Run("survey", "send", "ces", "--to", file);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("line 2: platform 'email' is not slack or teams", error, StringComparison.Ordinal);
        Assert.Contains("line 3: customer_id is empty; user_id is empty", error, StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredService<ISurveyStore>().Runs());
    }

    [Fact]
    public void Send_CustomerIdsTheStoreDoesNotHold_AreRefusedByLineAndNobodyIsAsked()
    {
        var file = _store.WriteFile("recipients.csv", """
            customer_id,platform,user_id
            C-1,slack,U0ANA
            C-404,slack,U0BEN
            c-2,slack,U0CAT
            """);

        var (code, _, error) = Run("survey", "send", "nps", "--to", file);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("line 3: customer C-404 does not exist", error, StringComparison.Ordinal);
        Assert.Contains("line 4: customer c-2 does not exist", error, StringComparison.Ordinal);
        Assert.DoesNotContain("line 2:", error, StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredService<ISurveyStore>().Runs());
    }

    [Fact]
    public async Task Send_EveryRecipientFails_PrintsEachReasonAndExitsNonZero()
    {
        foreach (var _ in Enumerable.Range(0, 2))
        {
            _slack.FailNext("conversations.open", "user_not_found");
            _slack.FailNext("chat.postMessage", "channel_not_found");
        }
        var file = _store.WriteFile("recipients.csv", "customer_id,platform,user_id\nC-1,slack,U0ANA\nC-2,slack,U0BEN\n");

        var (code, output, error) = Run("survey", "send", "csat", "--to", file);

        Assert.True(code == ExitCodes.NobodyAsked, $"{code}\n{output}\n{error}");
        Assert.Contains("sent 0,", output, StringComparison.Ordinal);
        Assert.Contains("not asked: slack U0ANA (customer C-1):", error, StringComparison.Ordinal);
        Assert.Contains("not asked: slack U0BEN (customer C-2):", error, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Send_SlackNotConfiguredInTheHost_IsRefusedAndNobodyIsAsked()
    {
        using var other = new TempStore();
        await using var host = new Hosting.GrowthBotFactory(other.DbPath, "Production");
        host.CreateClient().Dispose();
        var file = _store.WriteFile("recipients.csv", "customer_id,platform,user_id\nC-1,slack,U0ANA\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = other.DbPath }).Build())
        {
            HttpClientFactory = baseAddress => new HttpClient(host.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };

        var code = GrowthBotCli.Run(["survey", "send", "nps", "--to", file], context);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("Slack is not configured in this host", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<ISurveyStore>().Runs());
    }

    [Fact]
    public void Send_NoHostRunning_SaysToStartIt()
    {
        var file = _store.WriteFile("recipients.csv", "customer_id,platform,user_id\nC-1,slack,U0ANA\n");
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cli:HostUrl"] = "http://127.0.0.1:1" }).Build());

        var code = GrowthBotCli.Run(["survey", "send", "nps", "--to", file], context);

        Assert.Equal(ExitCodes.HostUnavailable, code);
        Assert.Contains("No GrowthBot host answers at http://127.0.0.1:1", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SurveyApi_FromAnotherMachineEvenWithTheHostKey_Is401()
    {
        using var client = new HttpClient(_host.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9")))
        {
            BaseAddress = new Uri("http://localhost/"),
        };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _host.Services.GetRequiredService<GrowthBot.Host.Api.Auth.LocalHostKey>().Key);

        var response = await client.GetAsync(new Uri("internal/surveys/campaigns", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SurveyApi_FromThisMachineWithoutACredential_Is401()
    {
        using var client = new HttpClient(_host.Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = new Uri("http://localhost/") };

        var response = await client.GetAsync(new Uri("internal/surveys/campaigns", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void Status_NoHostFileAndNoKey_SaysWhichCredentialIsNeeded()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var elsewhere = new TempStore();
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = elsewhere.DbPath }).Build())
        {
            HttpClientFactory = baseAddress => new HttpClient(_host.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };

        var code = GrowthBotCli.Run(["survey", "status"], context);

        Assert.Equal(ExitCodes.HostUnavailable, code);
        Assert.Contains("refused the survey API without an admin credential", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Cli__ApiKey", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_AdminKeyInCliApiKey_IsSentAndAccepted()
    {
        var admin = _host.Services.GetRequiredService<GrowthBot.Core.ApiKeys.ApiKeyService>().Create("ops", [GrowthBot.Core.ApiKeys.ApiKeyScopes.Admin]).Key;
        var output = new StringWriter();
        var error = new StringWriter();
        using var elsewhere = new TempStore();
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = elsewhere.DbPath,
            ["Cli:ApiKey"] = admin,
        }).Build())
        {
            HttpClientFactory = baseAddress => new HttpClient(_host.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };

        var code = GrowthBotCli.Run(["survey", "status"], context);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("No surveys have been sent yet.", output.ToString(), StringComparison.Ordinal);
    }

    private (int Code, string Output, string Error) Run(params string[] args) => RunPolling(TimeSpan.FromMilliseconds(20), args);

    private (int Code, string Output, string Error) RunPolling(TimeSpan pollInterval, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // The host's store, so the command finds its host file and the host's own key.
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = _store.DbPath }).Build())
        {
            PollInterval = pollInterval,
            HttpClientFactory = baseAddress => new HttpClient(_host.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };
        return (GrowthBotCli.Run(args, context), output.ToString(), error.ToString());
    }
}
