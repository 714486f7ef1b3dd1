using System.Net;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using GrowthBot.Teams.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Teams.Tests.Connector;

/// <summary>Staff, guests and other tenants told apart from the connector's member record; unknown means guest.</summary>
public sealed class TeamsRequesterDirectoryTests : IDisposable
{
    private const string Chat = "a:1chat";
    private static readonly Uri ServiceUrl = new("http://127.0.0.1:9/emea/");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
    private readonly StubHttp _http = new();
    private readonly BotTokenProvider _tokens;
    private readonly UserSightings _sightings = new();
    private readonly MemoryConversationDirectory _conversations = new();
    private readonly TeamsRequesterDirectory _directory;

    public TeamsRequesterDirectoryTests()
    {
        var options = Options.Create(new TeamsOptions());
        _tokens = new BotTokenProvider(_http.CreateClient("t"), options, _time, NullLogger<BotTokenProvider>.Instance);
        var connector = new TeamsConnectorClient(_http.CreateClient("c"), _tokens, new ConversationLimiter(_time), options, _time, NullLogger<TeamsConnectorClient>.Instance);
        _directory = new TeamsRequesterDirectory(connector, _sightings, _conversations, _time, NullLogger<TeamsRequesterDirectory>.Instance);
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _http.Dispose();
    }

    private static Requester Ana => new(ChatPlatform.Teams, "aad-ana", "home-tenant", IsGuest: false, "Ana");

    private void Member(string accountId, string tenant, string role) =>
        _http.OnJson($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/members/{Uri.EscapeDataString(accountId)}",
            () => $"{{\"id\":\"{accountId}\",\"objectId\":\"aad-ana\",\"name\":\"Ana Lima\",\"tenantId\":\"{tenant}\",\"userRole\":\"{role}\"}}");

    [Fact]
    public async Task Resolve_MemberOfTheHomeTenant_KeepsThemStaffShaped_LookingUpByTheirChannelAccount()
    {
        Member("29:1ana", "home-tenant", "user");
        _sightings.Saw("aad-ana", ServiceUrl, Chat, "29:1ana");

        var resolved = await _directory.ResolveAsync(Ana, CancellationToken.None);

        Assert.False(resolved.IsGuest);
        Assert.Equal("home-tenant", resolved.OrganisationId);
    }

    [Theory]
    [InlineData("guest")]
    [InlineData("anonymous")]
    public async Task Resolve_GuestOrAnonymous_IsAGuest(string role)
    {
        Member("29:1ana", "home-tenant", role);
        _sightings.Saw("aad-ana", ServiceUrl, Chat, "29:1ana");

        Assert.True((await _directory.ResolveAsync(Ana, CancellationToken.None)).IsGuest);
    }

    [Fact]
    public async Task Resolve_ExternalUser_TakesTheirOwnTenant()
    {
        Member("29:1ana", "partner-tenant", "user");
        _sightings.Saw("aad-ana", ServiceUrl, Chat, "29:1ana");

        Assert.Equal("partner-tenant", (await _directory.ResolveAsync(Ana, CancellationToken.None)).OrganisationId);
    }

    [Fact]
    public async Task Resolve_IsCachedForAnHour()
    {
        Member("29:1ana", "home-tenant", "user");
        _sightings.Saw("aad-ana", ServiceUrl, Chat, "29:1ana");

        await _directory.ResolveAsync(Ana, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(59));
        await _directory.ResolveAsync(Ana, CancellationToken.None);
        Assert.Single(_http.Requests);

        _time.Advance(TimeSpan.FromMinutes(2));
        await _directory.ResolveAsync(Ana, CancellationToken.None);
        Assert.Equal(2, _http.Requests.Count);
    }

    [Fact]
    public async Task Resolve_NeverSeen_UsesTheirPersonalChatFromTheStore_ByEntraId()
    {
        Member("aad-ana", "home-tenant", "user");
        _conversations.Remember(new KnownConversation(ChatPlatform.Teams, Chat, ConversationKind.Personal, "home-tenant", null, null, "aad-ana", ServiceUrl.ToString(), _time.GetUtcNow()));

        Assert.False((await _directory.ResolveAsync(Ana, CancellationToken.None)).IsGuest);
    }

    [Fact]
    public async Task Resolve_NowhereToLookThemUp_OrNotAMember_IsAGuest()
    {
        Assert.True((await _directory.ResolveAsync(Ana, CancellationToken.None)).IsGuest);

        _sightings.Saw("aad-ana", ServiceUrl, Chat, "29:1ana"); // the stub has no member record: 404
        Assert.True((await _directory.ResolveAsync(Ana, CancellationToken.None)).IsGuest);
    }

    [Fact]
    public async Task Resolve_ConnectorFailing_IsAGuest()
    {
        _http.On($"/emea/v3/conversations/{Uri.EscapeDataString(Chat)}/members/29%3A1ana", _ => new HttpResponseMessage(HttpStatusCode.Unauthorized));
        _sightings.Saw("aad-ana", ServiceUrl, Chat, "29:1ana");

        Assert.True((await _directory.ResolveAsync(Ana, CancellationToken.None)).IsGuest);
    }
}
