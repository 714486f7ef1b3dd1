using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;

namespace GrowthBot.Host.Tests.Security;

/// <summary>
/// deploy/nginx/growthbot.conf, the example server block the production docs point at, run as it
/// is by nginx: only its certificate paths (a certificate openssl makes now), its ports and its
/// upstream's port are changed. Slack's signed requests pass; the admin API is not there.
/// </summary>
public sealed class ProductionNginxTests : IAsyncLifetime
{
    private readonly TempStore _certificates = new();
    private KestrelSlackHost _host = null!;
    private NginxServer _nginx = null!;
    private X509Certificate2 _certificate = null!;

    public async Task InitializeAsync()
    {
        var certificate = Path.Combine(_certificates.Folder, "fullchain.pem");
        var key = Path.Combine(_certificates.Folder, "privkey.pem");
        using (var openssl = Process.Start(new ProcessStartInfo("openssl",
               ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=growthbot.example.com",
                "-addext", "subjectAltName=DNS:growthbot.example.com", "-keyout", key, "-out", certificate])
               { RedirectStandardError = true, RedirectStandardOutput = true })!)
        {
            await openssl.WaitForExitAsync();
            Assert.True(openssl.ExitCode == 0, await openssl.StandardError.ReadToEndAsync());
        }
        _certificate = X509CertificateLoader.LoadCertificateFromFile(certificate);
        _host = await KestrelSlackHost.StartAsync();
        var example = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx", "growthbot.conf"));
        _nginx = NginxServer.Start(2, (prefix, ports) => example
            .Replace("server 127.0.0.1:5080;", $"server 127.0.0.1:{_host.Port};", StringComparison.Ordinal)
            .Replace("listen [::]:80;", "", StringComparison.Ordinal)
            .Replace("listen [::]:443 ssl;", "", StringComparison.Ordinal)
            .Replace("listen 80;", $"listen 127.0.0.1:{ports[0]};", StringComparison.Ordinal)
            .Replace("listen 443 ssl;", $"listen 127.0.0.1:{ports[1]} ssl;", StringComparison.Ordinal)
            .Replace("/etc/letsencrypt/live/growthbot.example.com/fullchain.pem", certificate, StringComparison.Ordinal)
            .Replace("/etc/letsencrypt/live/growthbot.example.com/privkey.pem", key, StringComparison.Ordinal)
            .Replace("/var/log/nginx/growthbot.access.log", Path.Combine(prefix, "growthbot.access.log"), StringComparison.Ordinal));
    }

    public async Task DisposeAsync()
    {
        _nginx?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        _certificate?.Dispose();
        _certificates.Dispose();
    }

    [Fact]
    public void ExampleServerBlock_IsRunUnchangedButForPortsCertificatesAndLogs()
    {
        var example = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nginx", "growthbot.conf"));
        foreach (var expected in new[] { "server 127.0.0.1:5080;", "listen 443 ssl;", "listen 80;", "letsencrypt/live/growthbot.example.com/fullchain.pem", "location ^~ /internal/" })
        {
            Assert.Contains(expected, example, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SlackSignedRequest_OverTls_IsAnswered()
    {
        using var client = TlsClient();
        using var request = _host.SignedSlackRequest("slack/events", """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlackRequestWithABadSignature_ReachesTheHostAndIsRefused()
    {
        using var client = TlsClient();
        using var request = _host.SignedSlackRequest("slack/events", """{"type":"url_verification","challenge":"x"}""");
        request.Headers.Remove("X-Slack-Signature");
        request.Headers.Add("X-Slack-Signature", "v0=" + new string('0', 64));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("internal/surveys/campaigns")]
    [InlineData("internal/surveys/campaigns/nps-1")]
    [InlineData("api/v1/keys")]
    [InlineData("openapi/v1.json")]
    public async Task AdminApi_ThroughTheExampleServerBlock_Is404EvenWithAKey(string path)
    {
        using var client = TlsClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _host.AdminKey("ops-" + path.Length));

        using var get = await client.GetAsync(path);
        using var post = await client.PostAsJsonAsync(path, new { kind = "nps", recipients = new[] { new { customerId = "C-1", platform = "slack", userId = "U0X" } } });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task PlainHttp_IsRedirectedToHttps()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{_nginx.Ports[0]}/") };
        client.DefaultRequestHeaders.Host = "growthbot.example.com";

        using var response = await client.GetAsync("slack/events");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("https://growthbot.example.com/slack/events", response.Headers.Location!.ToString());
    }

    /// <summary>An HTTPS client that trusts exactly the certificate made for this test.</summary>
    private HttpClient TlsClient()
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(_certificate.RawData),
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_nginx.Ports[1]}/") };
        client.DefaultRequestHeaders.Host = "growthbot.example.com";
        return client;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("GrowthBot.sln not found above " + AppContext.BaseDirectory);
    }
}
