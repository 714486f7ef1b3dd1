using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// The real host with Teams configured against a <see cref="FakeBotFramework"/> on loopback (or in
/// development mode), a temporary store and a controllable clock; helpers post activities with
/// tokens signed the way the Bot Framework signs them.
/// </summary>
internal sealed class TeamsHostFactory(FakeBotFramework bot, string storePath, IConversationHandler? handler = null, bool configured = true, string environment = "Production",
    IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    public const string AppPassword = "test-app-password-0123456789";

    /// <summary>Tests set the caller's address with this header (TestServer has none of its own).</summary>
    public const string RemoteIpHeader = "X-Test-Remote-Ip";

    public const string CompanyName = "Acme";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Every log line the host wrote, to check what is (and is not) logged.</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Storage:Path", storePath);
        if (configured)
        {
            builder.UseSetting("Teams:AppId", BotFrameworkTokens.AppId);
            builder.UseSetting("Teams:AppPassword", AppPassword);
        }
        builder.UseSetting("Teams:OpenIdMetadataUrl", bot.MetadataUrl);
        builder.UseSetting("Teams:EntraOpenIdMetadataUrl", bot.EntraMetadataUrlTemplate);
        builder.UseSetting("Teams:TokenEndpoint", bot.TokenEndpoint);
        builder.UseSetting("Teams:ServiceUrl", bot.ServiceUrl);
        builder.UseSetting("Access:TeamsHomeTenantIds:0", BotFrameworkTokens.HomeTenant);
        // A Production host with a chat platform must be named (ProductionRequirements).
        builder.UseSetting("Company:Name", CompanyName);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (configureServices is not null) builder.ConfigureServices(configureServices);
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            services.AddSingleton<IStartupFilter, RemoteIpFilter>();
            if (handler is not null)
            {
                services.Replace(ServiceDescriptor.Singleton(handler));
                services.RemoveAll<IActionHandler>();
                if (handler is IActionHandler actions) services.AddSingleton(actions);
            }
        });
    }

    /// <summary>A fixture with its service URL pointed at the fake connector.</summary>
    public string Activity(string fixture) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Teams", "Fixtures", fixture)).Replace("https://smba.trafficmanager.net/emea/", bot.ServiceUrl, StringComparison.Ordinal);

    /// <summary>A valid Bot Framework token for the fake connector's service URL, issued now.</summary>
    public string Token() => BotFrameworkTokens.Create(bot.Key, Time.GetUtcNow(), bot.ServiceUrl);

    public Task<HttpResponseMessage> PostAsync(string json) => PostAsync(json, "Bearer " + Token());

    public async Task<HttpResponseMessage> PostAsync(string json, string? authorization, string? remoteIp = null)
    {
        var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (remoteIp is not null) request.Headers.Add(RemoteIpHeader, remoteIp);
        return await client.SendAsync(request);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Sets the connection's remote address: loopback unless the test says otherwise.</summary>
    private sealed class RemoteIpFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                var header = context.Request.Headers[RemoteIpHeader].ToString();
                context.Connection.RemoteIpAddress = header.Length > 0 ? IPAddress.Parse(header) : IPAddress.Loopback;
                await nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>One test's world: a fake Bot Framework on loopback and the real host configured against it, with an echoing handler.</summary>
public abstract class TeamsHostTest : IAsyncLifetime
{
    private readonly TempStore _store = new();

    internal RecordingHandler Handler { get; } = new();

    internal FakeBotFramework Bot { get; private set; } = null!;

    internal TeamsHostFactory Host { get; private set; } = null!;

    /// <summary>Whether the host has an app id (false: development mode, or not configured).</summary>
    protected virtual bool Configured => true;

    /// <summary>The host's environment.</summary>
    protected virtual string Environment => "Production";

    /// <summary>Further settings for the host.</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public async Task InitializeAsync()
    {
        Bot = await FakeBotFramework.StartAsync();
        Host = new TeamsHostFactory(Bot, _store.DbPath, Handler, Configured, Environment, Settings);
        Host.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Bot.DisposeAsync();
        _store.Dispose();
    }
}
