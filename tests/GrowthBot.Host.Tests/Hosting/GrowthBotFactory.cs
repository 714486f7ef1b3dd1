using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using GrowthBot.Host.Api.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>The real host, on a temporary store, in the given environment, with a fixed clock (and any extra settings).</summary>
internal sealed class GrowthBotFactory(string storePath, string environment, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Every line the host logged.</summary>
    public Teams.LogCapture Logs { get; } = new();

    /// <summary>A client on this machine (loopback) holding the host's own admin key, as the command line has it.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient(Server.CreateHandler(context => context.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = new Uri("http://localhost/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Services.GetRequiredService<LocalHostKey>().Key);
        return client;
    }

    /// <summary>The detailed health (<c>/internal/health</c>, admin only): counts, store, sources, platforms.</summary>
    public async Task<JsonElement> DetailedHealthAsync()
    {
        using var client = AdminClient();
        using var response = await client.GetAsync(new Uri("internal/health", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Storage:Path", storePath);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(name, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time)));
    }
}
