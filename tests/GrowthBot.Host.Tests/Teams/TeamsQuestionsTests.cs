using GrowthBot.Teams.Tests.Support;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>The real question handler behind the Teams adapter: staff of the home tenant get numbers, guests and other tenants do not.</summary>
public sealed class TeamsQuestionsTests : IAsyncLifetime
{
    private const string Ana = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private const string AnaAccount = "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrWigANA";
    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;
    private TeamsHostFactory _host = null!;

    public async Task InitializeAsync()
    {
        _bot = await FakeBotFramework.StartAsync();
        _host = new TeamsHostFactory(_bot, _store.DbPath, handler: null, environment: "Development");
        _host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    [Fact]
    public async Task HomeTenantUser_GetsTheNumber()
    {
        _bot.AddMember(Ana, AnaAccount, BotFrameworkTokens.HomeTenant);

        await _host.PostAsync(_host.Activity("message_personal.json"));

        var reply = Assert.Single(await _bot.WaitForKindAsync("reply"));
        var everything = reply.Body;
        Assert.Equal(AnaAccount, Assert.Single(_bot.Calls, call => call.Kind == "member").ActivityId);
        Assert.Contains("churn", everything, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"\d+(\.\d+)?\s*%", everything);
        Assert.Single(await _bot.WaitForKindAsync("member"));
    }

    [Theory]
    [InlineData("guest", BotFrameworkTokens.HomeTenant)]
    [InlineData("anonymous", BotFrameworkTokens.HomeTenant)]
    [InlineData("user", "0e0e0e0e-aaaa-4bbb-8ccc-0d0d0d0d0d0d")]
    public async Task GuestOrOtherTenantUser_IsRefusedPolitelyWithoutNumbers(string role, string tenant)
    {
        _bot.AddMember(Ana, AnaAccount, tenant, role);

        await _host.PostAsync(_host.Activity("message_personal.json"));

        var reply = Assert.Single(await _bot.WaitForKindAsync("reply"));
        Assert.Contains("only share metrics with staff", reply.Body, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+(\.\d+)?\s*%", reply.Body);
    }

    [Fact]
    public async Task UserTeamsCannotDescribe_IsTreatedAsAGuest()
    {
        await _host.PostAsync(_host.Activity("message_personal.json")); // no member record: 404 from the connector

        var reply = Assert.Single(await _bot.WaitForKindAsync("reply"));
        Assert.Contains("only share metrics with staff", reply.Body, StringComparison.Ordinal);
    }
}
