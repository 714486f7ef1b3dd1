using System.Net;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>No app id and no explicit development opt-in: Teams is not configured, whatever the caller's address.</summary>
public sealed class TeamsNotConfiguredTests : IAsyncLifetime
{
    private readonly TempStore _store = new();
    private FakeBotFramework _bot = null!;

    public async Task InitializeAsync() => _bot = await FakeBotFramework.StartAsync();

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        _store.Dispose();
    }

    [Theory]
    [InlineData("Production", "127.0.0.1")]
    [InlineData("Production", "127.0.0.6")] // an Istio sidecar forwards every caller from here
    [InlineData("Development", "127.0.0.1")] // Development alone does not turn authentication off
    public async Task Message_NoAppId_Is503AndNeverAnswered(string environment, string remote)
    {
        await using var host = new TeamsHostFactory(_bot, _store.DbPath, new RecordingHandler(), configured: false, environment);

        var response = await host.PostAsync(host.Activity("message_personal.json"), authorization: null, remoteIp: remote);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain(_bot.Calls, call => call.Kind is "reply" or "send");
    }

    [Fact]
    public void Start_UnauthenticatedLoopbackOutsideDevelopment_IsRefused()
    {
        using var host = new TeamsHostFactory(_bot, _store.DbPath, new RecordingHandler(), configured: false, "Production",
            new Dictionary<string, string> { ["Teams:AllowUnauthenticatedLoopback"] = "true" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.CreateClient());

        Assert.Contains("AllowUnauthenticatedLoopback is for the Development environment only", error.Message, StringComparison.Ordinal);
    }
}
