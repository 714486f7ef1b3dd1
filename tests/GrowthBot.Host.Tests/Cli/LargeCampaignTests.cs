using System.Net;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Slack;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Cli;

/// <summary>
/// <c>growthbot survey send</c> to 25,000 recipients against the real host and the loopback Slack
/// fake. Starting a campaign took ~6 ms per recipient inside the request, and the command line gave
/// up after 30 s; now the host accepts it with one write (202 and a run id), prepares and sends in
/// the background, and the command line follows it to the end. The host logs warnings only here: a
/// line per invitation and per HTTP call would cost more than the sending.
/// </summary>
public sealed class LargeCampaignTests : IAsyncLifetime
{
    private const int People = 25_000;
    private readonly TempStore _store = new();
    private FakeSlackWebApi _slack = null!;
    private SlackHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlackWebApi.StartAsync();
        _host = new SlackHostFactory(_slack, _store.DbPath, handler: null, environment: "Production",
            settings: new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
        _host.CreateClient().Dispose();
        var customers = new GrowthDataBatch();
        for (var i = 0; i < People; i++) customers.Customers.Add(new Customer($"K-{i}", $"Customer {i}", "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        _host.Services.GetRequiredService<ImportService>().Write(customers);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _slack.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task Send_TwentyFiveThousandRecipients_IsAcceptedAtOnceAndFollowedToTheEnd()
    {
        var file = _store.WriteFile("many.csv", "customer_id,platform,user_id\n" + string.Concat(Enumerable.Range(0, People).Select(i => $"K-{i},slack,U{i:D6}\n")));
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, TimeProvider.System, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = _store.DbPath }).Build())
        {
            PollInterval = TimeSpan.FromMilliseconds(500),
            HttpClientFactory = baseAddress => new HttpClient(_host.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };

        var code = GrowthBotCli.Run(["survey", "send", "nps", "--to", file], context);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("25,000 recipient(s) accepted", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("25,000 of 25,000 recipients (100%)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"sent {People}, answered 0 (0%)", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(People, (await _slack.WaitForAsync("chat.postMessage", People)).Count);
        var surveys = _host.Services.GetRequiredService<ISurveyStore>();
        Assert.Null(surveys.Runs().Single().Queued);
        Assert.Equal("K-24999", surveys.FindRecipient(ChatPlatform.Slack, "U024999")!.CustomerId);
    }
}
