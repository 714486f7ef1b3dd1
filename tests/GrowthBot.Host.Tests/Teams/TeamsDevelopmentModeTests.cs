using System.Net;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// No app id, with <c>Teams:AllowUnauthenticatedLoopback</c> in Development: the local development
/// mode of the Bot Framework Emulator — loopback only, no tokens either way.
/// </summary>
public sealed class TeamsDevelopmentModeTests : TeamsHostTest
{
    protected override bool Configured => false;

    protected override string Environment => "Development";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Teams:AllowUnauthenticatedLoopback"] = "true" };

    [Fact]
    public async Task Message_FromThisMachineWithoutAToken_IsAnsweredWithoutAToken()
    {
        var response = await Host.PostAsync(Host.Activity("message_personal.json"), authorization: null, remoteIp: "127.0.0.1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await Bot.WaitForKindAsync("reply"));
        Assert.Equal(string.Empty, reply.Authorization);
        Assert.Equal(0, Bot.TokensIssued);
    }

    [Fact]
    public async Task Message_FromIPv6Loopback_IsAccepted()
    {
        var response = await Host.PostAsync(Host.Activity("message_personal.json"), authorization: null, remoteIp: "::1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("192.168.1.20")]
    [InlineData("::ffff:10.0.0.5")]
    public async Task Message_FromAnotherMachine_Is401(string remote)
    {
        var response = await Host.PostAsync(Host.Activity("message_personal.json"), authorization: null, remoteIp: remote);
        var later = await Host.PostAsync(Host.Activity("message_channel_mention.json"), authorization: null, remoteIp: "127.0.0.1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        await Bot.WaitForKindAsync("reply");
        Assert.Single(Handler.Received);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    public async Task Message_ThroughAReverseProxyOnThisMachine_Is401(string header, string value)
    {
        var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(Host.Activity("message_personal.json"), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Install_InDevelopmentMode_StillRemembersTheConversation()
    {
        await Host.PostAsync(Host.Activity("installation_update_add_personal.json"), authorization: null);

        Assert.NotNull(Host.Service<IConversationDirectory>().Find(ChatPlatform.Teams, "a:1Fq3Uh7h8p2sO6wR9lJxKkQ_AnaPersonalChat_w8Zz"));
    }
}
