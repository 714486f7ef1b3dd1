using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Graph;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Graph;

/// <summary>Pre-install through Microsoft Graph, against a loopback Graph that answers as Graph does.</summary>
public sealed class TeamsAppInstallerTests : IAsyncLifetime
{
    private const string Ana = "0a1b2c3d-1111-4aaa-8bbb-000000000a11";
    private FakeGraph _graph = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _graph.AddUser(Ana);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _graph.DisposeAsync();
    }

    private TeamsAppInstaller Installer(string catalogAppId = FakeGraph.CatalogAppId) => new(_http, _graph.Tokens,
        Options.Create(new TeamsOptions { AppId = "7d3e1c4b-2a19-4f8e-9b6d-5c4a3b2e1f00", PreinstallForSurveys = true, CatalogAppId = catalogAppId, GraphBaseUrl = _graph.BaseAddress.ToString(), MaxRetries = 3 }),
        _time, NullLogger<TeamsAppInstaller>.Instance, jitter: () => 0.5);

    /// <summary>Runs the install, moving the fake clock on whenever it waits.</summary>
    private async Task<InstallOutcome> RunAsync(TeamsAppInstaller installer, string user = Ana)
    {
        var install = installer.InstallForUserAsync(user, CancellationToken.None);
        while (!install.IsCompleted)
        {
            await Task.WhenAny(install, Task.Delay(20));
            _time.Advance(TimeSpan.FromSeconds(1));
        }
        return await install;
    }

    [Fact]
    public async Task Install_ForAUserWithoutTheApp_BindsTheCatalogAppWithTheGraphToken()
    {
        Assert.Equal(InstallOutcome.Installed, await RunAsync(Installer()));

        var request = Assert.Single(_graph.Requests);
        Assert.Equal(Ana, request.User);
        Assert.Equal("Bearer graph-token-1", request.Authorization);
        Assert.Equal($$"""{"teamsApp@odata.bind":"{{_graph.BaseAddress}}v1.0/appCatalogs/teamsApps/{{FakeGraph.CatalogAppId}}"}""", request.Body);
        Assert.Equal([_graph.BaseAddress.GetLeftPart(UriPartial.Authority) + "/.default"], _graph.Tokens.Scopes);
        Assert.True(_graph.IsInstalledFor(Ana));
    }

    [Fact]
    public async Task Install_WhenTheUserHasTheAppAlready_Is409AndAlreadyInstalled()
    {
        _graph.AddUser(Ana, installed: true);

        Assert.Equal(InstallOutcome.AlreadyInstalled, await RunAsync(Installer()));
    }

    [Fact]
    public async Task Install_AnAppNotInTheCatalog_Is404NamingTheCatalogSetting()
    {
        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => RunAsync(Installer("11111111-2222-3333-4444-555555555555")));

        Assert.Equal(ChatDeliveryFailure.UserUnavailable, refused.Failure);
        Assert.Contains("Teams:CatalogAppId", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not found in the org-wide catalog", refused.Message, StringComparison.Ordinal);
        Assert.Single(_graph.Requests);
    }

    [Fact]
    public async Task Install_AnUnknownUser_Is404AndUserUnavailable()
    {
        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => RunAsync(Installer(), "99999999-9999-4999-8999-999999999999"));

        Assert.Equal(ChatDeliveryFailure.UserUnavailable, refused.Failure);
    }

    [Fact]
    public async Task Install_WithoutThePermission_Is403NamingIt()
    {
        _graph.Permitted = false;

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => RunAsync(Installer()));

        Assert.Equal(ChatDeliveryFailure.Unauthorized, refused.Failure);
        Assert.Contains("TeamsAppInstallation.ReadWriteSelfForUser.All", refused.Message, StringComparison.Ordinal);
        Assert.Single(_graph.Requests); // a refusal is not retried
    }

    [Fact]
    public async Task Install_WithARevokedToken_AsksForANewOneWithTheChallengesClaims_Once()
    {
        var installer = Installer();
        _graph.AddUser("0a1b2c3d-2222-4aaa-8bbb-000000000b22");
        await RunAsync(installer, "0a1b2c3d-2222-4aaa-8bbb-000000000b22");
        _graph.Tokens.Revoke();

        Assert.Equal(InstallOutcome.Installed, await RunAsync(installer));

        // The cached token, refused with a CAE challenge; then a token asked for with its claims (which bypasses the cache).
        Assert.Equal(["Bearer graph-token-1", "Bearer graph-token-1", "Bearer graph-token-2"], _graph.Requests.Select(request => request.Authorization));
        Assert.Equal([null, null, FakeGraph.RevokedClaims], _graph.Tokens.Claims);
    }

    [Fact]
    public async Task Install_WhenTheTokenIsRefusedWithoutAChallenge_Is401Unauthorized_NotRetried()
    {
        _graph.Tokens.RefuseAll = true;

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => RunAsync(Installer()));

        Assert.Equal(ChatDeliveryFailure.Unauthorized, refused.Failure);
        Assert.Single(_graph.Requests);
        Assert.DoesNotContain("graph-token", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_Throttled_WaitsRetryAfterOnTheClock_ThenInstalls()
    {
        _graph.FailNext(429, retryAfterSeconds: 7);
        var start = _time.GetUtcNow();

        Assert.Equal(InstallOutcome.Installed, await RunAsync(Installer()));

        Assert.Equal(2, _graph.Requests.Count);
        Assert.True(_time.GetUtcNow() - start >= TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Install_A5xxAfterTheInstallHappened_IsRetried_AndTheConflictMeansDone()
    {
        _graph.FailNext(503, applied: true);

        Assert.Equal(InstallOutcome.AlreadyInstalled, await RunAsync(Installer()));

        Assert.Equal(2, _graph.Requests.Count);
        Assert.True(_graph.IsInstalledFor(Ana));
    }

    [Fact]
    public async Task Install_5xxEveryTime_GivesUpAsTransient_AfterTheRetries()
    {
        for (var i = 0; i < 4; i++) _graph.FailNext(500);

        var refused = await Assert.ThrowsAsync<ChatDeliveryException>(() => RunAsync(Installer()));

        Assert.True(refused.IsTransient);
        Assert.Equal(4, _graph.Requests.Count);
    }
}
