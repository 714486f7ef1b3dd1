using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GrowthBot.Core.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Security;

/// <summary>The host on Kestrel behind two real nginx proxies on this machine, as the README's set-ups put it.</summary>
public sealed class ProxiedHostFixture : IAsyncLifetime
{
    internal KestrelSlackHost Host { get; private set; } = null!;

    internal NginxServer Nginx { get; private set; } = null!;

    /// <summary>A proxy that forwards the client's Host and address (X-Forwarded-For, X-Real-IP), as most nginx set-ups do.</summary>
    public string Forwarding => $"http://127.0.0.1:{Nginx.Ports[0]}/";

    /// <summary>A bare <c>proxy_pass</c> (like a tunnel): no forwarding headers, Host rewritten to the upstream's; only the credential stops an outsider.</summary>
    public string Bare => $"http://127.0.0.1:{Nginx.Ports[1]}/";

    public async Task InitializeAsync()
    {
        Host = await KestrelSlackHost.StartAsync();
        Nginx = NginxServer.Start(2, (_, ports) => $$"""
                server {
                    listen 127.0.0.1:{{ports[0]}};
                    location / {
                        proxy_pass http://127.0.0.1:{{Host.Port}};
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Real-IP $remote_addr;
                    }
                }
                server {
                    listen 127.0.0.1:{{ports[1]}};
                    location / {
                        proxy_pass http://127.0.0.1:{{Host.Port}};
                    }
                }
            """);
    }

    public async Task DisposeAsync()
    {
        Nginx?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
    }
}

/// <summary>
/// Issue 18, item 1: through a reverse proxy on the same machine, the connection comes from
/// 127.0.0.1; the admin API must still want its credential, and the host's own key must not work
/// through the proxy at all.
/// </summary>
public sealed class ProxiedAdminApiTests(ProxiedHostFixture fixture) : IClassFixture<ProxiedHostFixture>
{
    private static readonly object Campaign = new
    {
        kind = "nps",
        topic = "Log in again at https://evil.example/login",
        recipients = new[] { new { customerId = "C-1", platform = "slack", userId = "U0VICTIM" } },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Campaign_ThroughNginxWithoutCredential_Is401AndNobodyIsAsked(bool forwarding)
    {
        using var client = Client(forwarding ? fixture.Forwarding : fixture.Bare);

        using var response = await client.PostAsJsonAsync("internal/surveys/campaigns", Campaign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(fixture.Host.Factory.Services.GetRequiredService<ISurveyStore>().Runs(), run => run.Topic?.Contains("evil.example", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(fixture.Host.Slack.Calls, call => call.Body.Contains("U0VICTIM", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("internal/surveys/campaigns")]
    [InlineData("internal/surveys/campaigns/nps-anything")]
    [InlineData("api/v1/keys")]
    public async Task ReadEndpoints_ThroughNginxWithoutCredential_Are401(string path)
    {
        foreach (var proxy in new[] { fixture.Forwarding, fixture.Bare })
        {
            using var client = Client(proxy);

            using var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("internal/surveys/campaigns")]
    [InlineData("api/v1/keys")]
    public async Task HostKey_ThroughAForwardingNginx_Is401(string path)
    {
        using var client = Client(fixture.Forwarding, fixture.Host.HostKey);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not through a proxy", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relink_ThroughAForwardingNginxWithTheHostKey_IsRefusedAndNobodyIsLinked()
    {
        using var client = Client(fixture.Forwarding, fixture.Host.HostKey);

        using var response = await client.PostAsJsonAsync("internal/surveys/campaigns", Campaign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(fixture.Host.Factory.Services.GetRequiredService<ISurveyStore>().FindRecipient(GrowthBot.Core.Conversations.ChatPlatform.Slack, "U0VICTIM"));
    }

    [Theory]
    [InlineData("Forwarded", "for=198.51.100.7")]
    [InlineData("X-Forwarded-For", "198.51.100.7")]
    [InlineData("X-Forwarded-Host", "growthbot.example.com")]
    [InlineData("X-Real-IP", "198.51.100.7")]
    public async Task HostKey_DirectWithAForwardingHeader_Is401(string header, string value)
    {
        using var client = Client(fixture.Host.Address + "/", fixture.Host.HostKey);
        client.DefaultRequestHeaders.Add(header, value);

        using var response = await client.GetAsync("internal/surveys/campaigns");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Campaign_DirectWithAnAdminKey_IsAccepted()
    {
        using var client = Client(fixture.Host.Address + "/", fixture.Host.AdminKey("ops-direct"));

        using var response = await client.PostAsJsonAsync("internal/surveys/campaigns", new
        {
            kind = "ces",
            recipients = new[] { new { customerId = "C-2", platform = "slack", userId = "U0FRIEND" } },
        });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var list = await client.GetAsync("internal/surveys/campaigns");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task HostKey_DirectFromThisMachine_Works()
    {
        using var client = Client(fixture.Host.Address + "/", fixture.Host.HostKey);

        using var response = await client.GetAsync("internal/surveys/campaigns");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HostHeaderOfAnotherSite_IsRefusedEvenWithACredential()
    {
        using var admin = Client(fixture.Host.Address + "/", fixture.Host.AdminKey("ops-rebinding"));
        admin.DefaultRequestHeaders.Host = "attacker.example";
        using var host = Client(fixture.Host.Address + "/", fixture.Host.HostKey);
        host.DefaultRequestHeaders.Host = "attacker.example:" + fixture.Host.Port;

        using var withAdminKey = await admin.GetAsync("internal/surveys/campaigns");
        using var withHostKey = await host.GetAsync("internal/surveys/campaigns");

        Assert.Equal(HttpStatusCode.Forbidden, withAdminKey.StatusCode);
        var error = (await withAdminKey.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("error").GetString();
        Assert.Contains("does not answer under the name 'attacker.example'", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, withHostKey.StatusCode);
    }

    [Fact]
    public async Task SlackSignedEvent_ThroughNginx_StillWorks()
    {
        using var client = Client(fixture.Forwarding);
        using var request = fixture.Host.SignedSlackRequest("slack/events", """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient Client(string baseAddress, string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
