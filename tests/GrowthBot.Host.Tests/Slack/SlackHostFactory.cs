using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Inbound;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Slack;

/// <summary>
/// The real host with Slack configured against a <see cref="FakeSlackWebApi"/> on loopback, a
/// temporary store and a controllable clock; helpers sign requests the way Slack does.
/// </summary>
internal sealed class SlackHostFactory(FakeSlackWebApi slack, string storePath, IConversationHandler? handler = null, string environment = "Production",
    IReadOnlyDictionary<string, string>? settings = null)
    : WebApplicationFactory<Program>
{
    public const string SigningSecret = "test-signing-secret-0123456789abcdef";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Everything the host logged, scopes and exceptions included.</summary>
    public Security.FullLogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Storage:Path", storePath);
        builder.UseSetting("Slack:BotToken", "xoxb-test-token");
        builder.UseSetting("Slack:SigningSecret", SigningSecret);
        builder.UseSetting("Slack:ApiBaseUrl", slack.ApiBaseUrl);
        builder.UseSetting("Slack:MinimumChannelInterval", "00:00:00");
        builder.UseSetting("Access:SlackHomeTeamIds:0", "T0HOME");
        builder.UseSetting("Company:Name", "Acme");
        builder.UseSetting("Surveys:SendInterval", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            if (handler is not null)
            {
                services.Replace(ServiceDescriptor.Singleton(handler));
                services.RemoveAll<IActionHandler>();
                if (handler is IActionHandler actions) services.AddSingleton(actions);
            }
        });
    }

    /// <summary>
    /// The extra settings also go into the host configuration, which the composition reads before the host is
    /// built (Storage__Provider chooses which store's services are added); UseSetting is seen only after.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (settings is { Count: > 0 })
        {
            builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value))));
        }
        return base.CreateHost(builder);
    }

    /// <summary>POSTs a body signed at <paramref name="signedAt"/> (default: now) with <paramref name="secret"/>.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(string path, string body, string mediaType, DateTimeOffset? signedAt = null,
        string secret = SigningSecret, IDictionary<string, string>? headers = null)
    {
        var client = CreateClient();
        var timestamp = (signedAt ?? Time.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Header(timestamp, bytes, secret));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        return await client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEventAsync(string json, IDictionary<string, string>? headers = null) =>
        PostSignedAsync("/slack/events", json, "application/json", headers: headers);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields) =>
        PostSignedAsync(path, string.Join("&", fields.Select(field => $"{Uri.EscapeDataString(field.Key)}={Uri.EscapeDataString(field.Value)}")), "application/x-www-form-urlencoded");
}

/// <summary>A conversation and button handler that echoes, so protocol tests see exactly what reached Core.</summary>
internal sealed class EchoHandler : IConversationHandler, IActionHandler
{
    public List<IncomingMessage> Received { get; } = [];

    public List<IncomingAction> Pressed { get; } = [];

    public bool CanHandle(string actionId) => actionId.StartsWith("metric.", StringComparison.Ordinal);

    public Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        lock (Pressed) Pressed.Add(action);
        return Task.FromResult<ChatMessage?>(ChatMessage.Plain($"You pressed {action.ActionId}: {action.Value}"));
    }

    public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        lock (Received) Received.Add(message);
        return Task.FromResult<ChatMessage?>(new ChatMessage($"You asked: {message.Text}", [new HeaderBlock("Echo"), new TextBlock($"You asked: {message.Text}")]));
    }
}
