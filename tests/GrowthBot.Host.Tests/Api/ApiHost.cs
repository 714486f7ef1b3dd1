using System.Net;
using System.Net.Http.Headers;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Host.Tests.Api;

/// <summary>The real host (Production, empty temporary store, fixed clock) with helpers to make keys and call the API.</summary>
internal sealed class ApiHost : IDisposable
{
    private readonly TempStore _store = new();

    public ApiHost(IReadOnlyDictionary<string, string>? settings = null)
    {
        Factory = new GrowthBotFactory(_store.DbPath, "Production", settings);
        Factory.CreateClient().Dispose();
    }

    public GrowthBotFactory Factory { get; }

    public TempStore Store => _store;

    public string Key(string name, params string[] scopes) =>
        Factory.Services.GetRequiredService<ApiKeyService>().Create(name, scopes.Length == 0 ? [ApiKeyScopes.Ingest] : scopes).Key;

    public T Service<T>() where T : notnull => Factory.Services.GetRequiredService<T>();

    /// <summary>
    /// Stores customers straight into the store (no source's freshness is touched), since rows for
    /// customers the store does not know are refused.
    /// </summary>
    public void StoreCustomers(params string[] ids)
    {
        var batch = new GrowthDataBatch();
        foreach (var id in ids) batch.Customers.Add(new Customer(id, id, "SMB", "ads", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        Service<IGrowthStore>().Write(batch);
    }

    /// <summary>A client whose requests come from <paramref name="remote"/> (loopback unless given), with the key as a bearer token if any.</summary>
    public HttpClient Client(string? key = null, IPAddress? remote = null)
    {
        var client = new HttpClient(Factory.Server.CreateHandler(context => context.Connection.RemoteIpAddress = remote ?? IPAddress.Loopback))
        {
            BaseAddress = new Uri("http://localhost/"),
        };
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static StringContent Body(string text, string contentType) => new(text.ReplaceLineEndings("\n"), null, contentType);

    public void Dispose()
    {
        Factory.Dispose();
        _store.Dispose();
    }
}
