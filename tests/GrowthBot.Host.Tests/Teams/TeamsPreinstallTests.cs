using System.Net;
using System.Text.Json.Nodes;
using GrowthBot.Teams;
using GrowthBot.Teams.Graph;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// Teams__PreinstallForSurveys end to end: a survey to someone who never opened the bot installs the app for them
/// through (a loopback) Microsoft Graph before the 1:1 chat is opened; without the setting Graph is never called.
/// </summary>
public sealed class TeamsPreinstallTests : IAsyncLifetime
{
    private const string StaffAad = "0a1b2c3d-5555-4aaa-8bbb-000000000e55";
    private const string StaffAccount = "29:1SamStaffChannelId_z9";
    private const string AnaAad = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private const string AnaAccount = "29:1AnaChannelId_kq8Zc0v";
    private const string Channel = "19:4f5a2c0d8e7b4d1f9a6c3b2e1d0f9a8b@thread.tacv2";

    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;
    private FakeGraph _graph = null!;
    private TeamsHostFactory? _host;
    private int _activities;

    public async Task InitializeAsync()
    {
        _bot = await FakeBotFramework.StartAsync();
        _graph = await FakeGraph.StartAsync();
        _bot.AddMember(StaffAad, StaffAccount, BotFrameworkTokens.HomeTenant);
        _bot.AddMember(AnaAad, AnaAccount, BotFrameworkTokens.HomeTenant);
        _graph.AddUser(AnaAad);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        await _graph.DisposeAsync();
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    private async Task<TeamsHostFactory> StartAsync(bool preinstall)
    {
        var settings = new Dictionary<string, string>
        {
            ["Teams:PreinstallForSurveys"] = preinstall ? "true" : "false",
            ["Teams:CatalogAppId"] = FakeGraph.CatalogAppId,
            ["Teams:TenantId"] = BotFrameworkTokens.HomeTenant,
            ["Teams:GraphBaseUrl"] = _graph.BaseAddress.ToString(),
        };
        // The bot's Graph token from the test's credential (the Azure.Identity flows themselves are tested against a loopback Entra).
        _host = new TeamsHostFactory(_bot, _store.DbPath, handler: null, settings: settings, configureServices: services => services.Replace(ServiceDescriptor.Singleton(provider =>
            new TeamsAppInstaller(new HttpClient(), _graph.Tokens, provider.GetRequiredService<IOptions<TeamsOptions>>(), provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<TeamsAppInstaller>>()))));
        _host.CreateClient().Dispose();
        Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync(_host.Activity("conversation_update_bot_added_team.json"))).StatusCode);
        await _bot.WaitForKindAsync("send"); // the welcome
        return _host;
    }

    [Fact]
    public async Task Survey_ToSomeoneWhoNeverOpenedTheBot_InstallsTheAppThroughGraph_ThenOpensTheChat()
    {
        var host = await StartAsync(preinstall: true);

        await CommandAsync(host, "survey link <at>Ana Lima</at> C-42");
        Assert.Contains("Sending the NPS survey to 1 person", await CommandAsync(host, "survey nps <at>Ana Lima</at>"), StringComparison.Ordinal);

        Assert.Single(await _bot.WaitForKindAsync("create"));
        var install = Assert.Single(_graph.Requests);
        Assert.Equal(AnaAad, install.User);
        Assert.True(_graph.IsInstalledFor(AnaAad));
        Assert.Single(await _bot.WaitForAsync(call => call.Kind == "send" && call.Conversation!.StartsWith("a:1createdPersonalChat", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Survey_WhenGraphRefusesTheInstall_StillTriesTheChat_AndLogsWhy()
    {
        var host = await StartAsync(preinstall: true);
        _graph.Permitted = false;

        await CommandAsync(host, "survey link <at>Ana Lima</at> C-42");
        await CommandAsync(host, "survey nps <at>Ana Lima</at>");

        Assert.Single(await _bot.WaitForKindAsync("create"));
        Assert.Contains(host.Logs.Lines, line => line.Contains("could not be pre-installed", StringComparison.Ordinal) && line.Contains("TeamsAppInstallation.ReadWriteSelfForUser.All", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Lines, line => line.Contains("graph-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Survey_WithoutTheSetting_NeverCallsGraph()
    {
        var host = await StartAsync(preinstall: false);

        await CommandAsync(host, "survey link <at>Ana Lima</at> C-42");
        await CommandAsync(host, "survey nps <at>Ana Lima</at>");

        Assert.Single(await _bot.WaitForKindAsync("create"));
        Assert.Empty(_graph.Requests);
    }

    /// <summary>Staff write in the channel, mentioning the bot and Ana as Teams does; returns the bot's reply.</summary>
    private async Task<string> CommandAsync(TeamsHostFactory host, string command)
    {
        var replies = _bot.Calls.Count(call => call.Kind == "reply");
        var id = (1764151600000 + Interlocked.Increment(ref _activities)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var activity = JsonNode.Parse(host.Activity("message_channel_mention.json"))!.AsObject();
        activity["id"] = id;
        activity["text"] = "<at>GrowthBot</at>&nbsp;" + command;
        activity["from"] = new JsonObject { ["id"] = StaffAccount, ["name"] = "Sam Staff", ["aadObjectId"] = StaffAad };
        activity["conversation"]!["id"] = $"{Channel};messageid={id}";
        activity["entities"] = new JsonArray
        {
            new JsonObject { ["type"] = "mention", ["text"] = "<at>GrowthBot</at>", ["mentioned"] = new JsonObject { ["id"] = "28:" + BotFrameworkTokens.AppId, ["name"] = "GrowthBot" } },
            new JsonObject { ["type"] = "mention", ["text"] = "<at>Ana Lima</at>", ["mentioned"] = new JsonObject { ["id"] = AnaAccount, ["name"] = "Ana Lima" } },
        };
        Assert.Equal(HttpStatusCode.OK, (await host.PostAsync(activity.ToJsonString())).StatusCode);
        var reply = (await _bot.WaitForAsync(call => call.Kind == "reply", replies + 1))[replies];
        return reply.Json.TryGetProperty("text", out var text) ? text.GetString()! : reply.Body;
    }
}
