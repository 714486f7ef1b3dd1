using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Host.Api.Auth;
using GrowthBot.Host.Tests.Slack;
using GrowthBot.Slack.Inbound;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Security;

/// <summary>
/// The real host with Slack configured, on Kestrel at a free 127.0.0.1 port (not the in-memory test
/// server), so a real reverse proxy can sit in front of it. Holds customers C-1 and C-2.
/// </summary>
internal sealed class KestrelSlackHost : IAsyncDisposable
{
    private readonly TempStore _store;

    private KestrelSlackHost(TempStore store, FakeSlackWebApi slack, SlackHostFactory factory, string address)
    {
        _store = store;
        Slack = slack;
        Factory = factory;
        Address = address;
    }

    public FakeSlackWebApi Slack { get; }

    public SlackHostFactory Factory { get; }

    /// <summary>The host's own address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Address { get; }

    public int Port => new Uri(Address).Port;

    public string HostKey => Factory.Services.GetRequiredService<LocalHostKey>().Key;

    public static async Task<KestrelSlackHost> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var slack = await FakeSlackWebApi.StartAsync();
        var store = new TempStore();
        var factory = new SlackHostFactory(slack, store.DbPath, settings: settings);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().TrimEnd('/');
        var batch = new GrowthDataBatch();
        foreach (var id in new[] { "C-1", "C-2" }) batch.Customers.Add(new Customer(id, id, "SMB", "organic", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        factory.Services.GetRequiredService<ImportService>().Write(batch);
        return new KestrelSlackHost(store, slack, factory, address);
    }

    public string AdminKey(string name = "ops") => Factory.Services.GetRequiredService<ApiKeyService>().Create(name, [ApiKeyScopes.Admin]).Key;

    /// <summary>A Slack request signed as Slack signs it (v0 HMAC over timestamp and body), at the host's clock.</summary>
    public HttpRequestMessage SignedSlackRequest(string path, string body)
    {
        var timestamp = Factory.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Header(timestamp, bytes, SlackHostFactory.SigningSecret));
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Slack.DisposeAsync();
        _store.Dispose();
    }
}
