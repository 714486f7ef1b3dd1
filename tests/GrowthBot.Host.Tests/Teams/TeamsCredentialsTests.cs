using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using GrowthBot.Teams;
using GrowthBot.Teams.Connector;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// The bot's own credential through Azure.Identity/MSAL against a loopback Entra: an https token
/// endpoint with a certificate of its own (MSAL talks https only) for the client secret, the
/// certificate and workload identity federation, and an App Service-style managed identity endpoint.
/// </summary>
public sealed class TeamsCredentialsTests : IAsyncLifetime
{
    private const string AppId = "7d3e1c4b-2a19-4f8e-9b6d-5c4a3b2e1f00";
    private const string Tenant = "9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b";
    // MSAL keeps its token cache on the machine's clock; the provider's own renewal runs on this one, started there.
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Form, string Query, string? IdentityHeader)> _requests = new();
    private readonly X509Certificate2 _tls = SelfSigned("CN=127.0.0.1", serverAuth: true);
    private WebApplication _entra = null!;
    private Uri _base = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_tls)));
        builder.Logging.ClearProviders();
        _entra = builder.Build();
        _entra.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext context, string tenant) =>
        {
            var form = (await context.Request.ReadFormAsync()).ToDictionary(pair => pair.Key, pair => pair.Value.ToString());
            _requests.Enqueue(($"/{tenant}/oauth2/v2.0/token", form, context.Request.QueryString.Value ?? string.Empty, null));
            if (form.GetValueOrDefault("client_secret") == "wrong")
            {
                return Results.Json(new { error = "invalid_client", error_description = "AADSTS7000215: Invalid client secret provided. Trace ID: 0000" }, statusCode: 401);
            }
            return Results.Json(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = "entra-app-token" });
        });
        _entra.MapGet("/msi/token", (HttpContext context) =>
        {
            _requests.Enqueue(("/msi/token", new Dictionary<string, string>(), context.Request.QueryString.Value ?? string.Empty, context.Request.Headers["X-IDENTITY-HEADER"].ToString()));
            return Results.Json(new { access_token = "managed-identity-token", expires_on = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), resource = "https://api.botframework.com", token_type = "Bearer" });
        });
        await _entra.StartAsync();
        _base = new Uri(_entra.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _client = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == _tls.Thumbprint });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_plain is not null) await _plain.DisposeAsync();
        await _entra.DisposeAsync();
        _tls.Dispose();
    }

    private BotTokenProvider Provider(TeamsOptions options)
    {
        options.AppId = AppId;
        options.TenantId = Tenant;
        options.AuthorityHost = _base.ToString();
        return new BotTokenProvider(_client, Options.Create(options), _time, NullLogger<BotTokenProvider>.Instance);
    }

    [Fact]
    public async Task ClientSecret_IsSentToTheTenantsTokenEndpointForTheBotFrameworkScope()
    {
        using var provider = Provider(new TeamsOptions { AppPassword = "s3cret" });

        Assert.Equal("entra-app-token", await provider.GetTokenAsync(CancellationToken.None));

        var request = Assert.Single(_requests, entry => entry.Path.EndsWith("/token", StringComparison.Ordinal));
        Assert.Equal($"/{Tenant}/oauth2/v2.0/token", request.Path);
        Assert.Equal("client_credentials", request.Form["grant_type"]);
        Assert.Equal(AppId, request.Form["client_id"]);
        Assert.Equal("s3cret", request.Form["client_secret"]);
        Assert.Equal("https://api.botframework.com/.default", request.Form["scope"]);
    }

    [Fact]
    public async Task ClientSecret_Refused_IsUnauthorizedAndNeverLogsTheSecret()
    {
        using var provider = Provider(new TeamsOptions { AppPassword = "wrong" });

        var failure = await Assert.ThrowsAsync<GrowthBot.Core.Conversations.ChatDeliveryException>(() => provider.GetTokenAsync(CancellationToken.None));

        Assert.Equal(GrowthBot.Core.Conversations.ChatDeliveryFailure.Unauthorized, failure.Failure);
        Assert.DoesNotContain("wrong", failure.Message.Replace("Invalid", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_FromAFile_SignsAClientAssertionInsteadOfASecret()
    {
        using var signing = SelfSigned("CN=GrowthBot", serverAuth: false);
        var path = Path.Combine(Path.GetTempPath(), $"growthbot-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, signing.Export(X509ContentType.Pfx, "pfx-pass"));
        try
        {
            using var provider = Provider(new TeamsOptions { CertificatePath = path, CertificatePassword = "pfx-pass" });

            Assert.Equal("entra-app-token", await provider.GetTokenAsync(CancellationToken.None));

            var request = Assert.Single(_requests);
            Assert.False(request.Form.ContainsKey("client_secret"));
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
            var assertion = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(request.Form["client_assertion"]);
            Assert.Equal(AppId, assertion.Issuer);
            Assert.Equal(AppId, assertion.Subject);
            // Signed with the certificate's key: the header names it by its SHA-1 or SHA-256 thumbprint.
            var thumbprint = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signing.GetCertHash(HashAlgorithmName.SHA256));
            var sha1 = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(signing.GetCertHash());
            Assert.True(assertion.TryGetHeaderValue<string>("x5t#S256", out var s256) && s256 == thumbprint || assertion.TryGetHeaderValue<string>("x5t", out var x5t) && x5t == sha1);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task WorkloadIdentity_ExchangesTheFederatedTokenFromTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"growthbot-{Guid.NewGuid():N}.token");
        await File.WriteAllTextAsync(file, "kubernetes-service-account-token");
        try
        {
            using var provider = Provider(new TeamsOptions { UseWorkloadIdentity = true, FederatedTokenFile = file });

            Assert.Equal("entra-app-token", await provider.GetTokenAsync(CancellationToken.None));

            var request = Assert.Single(_requests);
            Assert.Equal("kubernetes-service-account-token", request.Form["client_assertion"]);
            Assert.Equal("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", request.Form["client_assertion_type"]);
            Assert.Equal(AppId, request.Form["client_id"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UserAssignedManagedIdentity_AsksTheLocalIdentityEndpointForThatIdentity()
    {
        // App Service's managed identity endpoint, as the platform announces it to the process.
        var endpoint = new Uri(new Uri("http://127.0.0.1:" + await StartPlainAsync()), "/msi/token").ToString();
        Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", endpoint);
        Environment.SetEnvironmentVariable("IDENTITY_HEADER", "platform-header-secret");
        try
        {
            using var provider = Provider(new TeamsOptions { ManagedIdentityClientId = "0d1e2f3a-0000-4000-8000-00000000beef" });

            Assert.Equal("managed-identity-token", await provider.GetTokenAsync(CancellationToken.None));

            var request = Assert.Single(_requests);
            Assert.Equal("platform-header-secret", request.IdentityHeader);
            Assert.Contains("client_id=0d1e2f3a-0000-4000-8000-00000000beef", request.Query, StringComparison.Ordinal);
            Assert.Contains("resource=https://api.botframework.com", Uri.UnescapeDataString(request.Query), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
        }
    }

    private WebApplication? _plain;

    /// <summary>A plain-http loopback endpoint for the managed identity source (App Service serves it over http on the machine).</summary>
    private async Task<int> StartPlainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _plain = builder.Build();
        _plain.MapGet("/msi/token", (HttpContext context) =>
        {
            _requests.Enqueue(("/msi/token", new Dictionary<string, string>(), context.Request.QueryString.Value ?? string.Empty, context.Request.Headers["X-IDENTITY-HEADER"].ToString()));
            return Results.Json(new { access_token = "managed-identity-token", expires_on = TimeProvider.System.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), resource = "https://api.botframework.com", token_type = "Bearer" });
        });
        await _plain.StartAsync();
        return new Uri(_plain.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    private static X509Certificate2 SelfSigned(string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
