using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Api;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot apikey create NAME | list | revoke NAME</c>. A new key is printed once, on standard
/// output, and only its hash is kept. Like <c>import</c>, it writes the store itself when no host
/// runs on it and goes through the host's <c>/api/v1/keys</c> (with the host's loopback key) when one does.
/// </summary>
internal static class ApiKeyCommand
{
    public const string Usage =
        "growthbot apikey create NAME [--scopes ingest|admin|ingest,admin] [--expires DATE] [--db PATH]\n" +
        "growthbot apikey list [--db PATH]\n" +
        "growthbot apikey revoke NAME [--db PATH]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "scopes", "expires" }, new HashSet<string>());
        var verb = arguments.Positionals.FirstOrDefault()?.ToLowerInvariant();
        var request = verb switch
        {
            "create" when arguments.Positionals.Count == 2 => new KeyRequest(verb, arguments.Positionals[1], Scopes(arguments.Option("scopes")), Expiry(context, arguments.Option("expires"))),
            "revoke" when arguments.Positionals.Count == 2 => new KeyRequest(verb, arguments.Positionals[1], [], null),
            "list" when arguments.Positionals.Count == 1 => new KeyRequest(verb, string.Empty, [], null),
            _ => throw new UsageException($"Usage:\n{Usage}"),
        };
        var storage = context.StorageFor(arguments);
        LiteGrowthStore store;
        try
        {
            store = new LiteGrowthStore(storage);
        }
        catch (StoreLockedException) when (HostFile.Read(storage.Path) is { } host)
        {
            return ThroughHost(context, host, request);
        }
        using (store)
        {
            var keys = new LiteApiKeyStore(store);
            return request.Verb switch
            {
                "create" => Create(context, new ApiKeyService(keys, context.Time), request),
                "revoke" => Revoke(context, keys.Revoke(request.Name, context.Time.GetUtcNow()), request.Name),
                _ => List(context, keys.All().Select(ApiKeyInfo.From).ToList()),
            };
        }
    }

    private sealed record KeyRequest(string Verb, string Name, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

    private static int Create(CliContext context, ApiKeyService service, KeyRequest request)
    {
        try
        {
            var created = service.Create(request.Name, request.Scopes, request.ExpiresAt);
            return Created(context, created.Key, ApiKeyInfo.From(created.Stored));
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message.Split(" (Parameter", 2)[0]);
        }
        catch (InvalidOperationException exception)
        {
            context.Error.WriteLine(exception.Message);
            return ExitCodes.BadData;
        }
    }

    private static int Created(CliContext context, string key, ApiKeyInfo info)
    {
        context.Error.WriteLine($"Created API key '{info.Name}' ({string.Join(", ", info.Scopes)}{(info.ExpiresAt is { } expires ? $", expires {expires:yyyy-MM-dd HH:mm} UTC" : "")}). " +
                                "It is shown only now; store it somewhere safe and send it as Authorization: Bearer <key>.");
        context.Output.WriteLine(key);
        return ExitCodes.Ok;
    }

    private static int Revoke(CliContext context, bool revoked, string name)
    {
        if (!revoked)
        {
            context.Error.WriteLine($"No active API key named '{name}'.");
            return ExitCodes.BadData;
        }
        context.Output.WriteLine($"Revoked API key '{name}'; it no longer works.");
        return ExitCodes.Ok;
    }

    private static int List(CliContext context, List<ApiKeyInfo> keys)
    {
        if (keys.Count == 0) context.Output.WriteLine("No API keys yet. Create one with `growthbot apikey create NAME`.");
        var now = context.Time.GetUtcNow();
        foreach (var key in keys)
        {
            var state = key.RevokedAt is { } revoked ? $"revoked {revoked:yyyy-MM-dd}"
                : key.ExpiresAt is { } expires && expires <= now ? $"expired {expires:yyyy-MM-dd}"
                : key.ExpiresAt is { } later ? $"active until {later:yyyy-MM-dd}" : "active";
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{key.Name}  gb_{key.Id}_…  {string.Join(",", key.Scopes)}  created {key.CreatedAt:yyyy-MM-dd}  {state}"));
        }
        return ExitCodes.Ok;
    }

    private static int ThroughHost(CliContext context, HostFileContent host, KeyRequest request)
    {
        using var client = context.HttpClientFor(host.Url);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Key);
        try
        {
            switch (request.Verb)
            {
                case "create":
                {
                    using var response = client.PostAsJsonAsync("api/v1/keys", new ApiKeyRequest(request.Name, request.Scopes, request.ExpiresAt), ApiJson.Default.ApiKeyRequest).GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var created = response.Content.ReadFromJsonAsync(ApiJson.Default.ApiKeyCreated).GetAwaiter().GetResult()!;
                        return Created(context, created.Key, created.Info);
                    }
                    return HostRefused(context, response);
                }
                case "revoke":
                {
                    using var response = client.DeleteAsync($"api/v1/keys/{Uri.EscapeDataString(request.Name)}").GetAwaiter().GetResult();
                    if (response.StatusCode == HttpStatusCode.NotFound) return Revoke(context, false, request.Name);
                    return response.IsSuccessStatusCode ? Revoke(context, true, request.Name) : HostRefused(context, response);
                }
                default:
                {
                    using var response = client.GetAsync("api/v1/keys").GetAwaiter().GetResult();
                    if (!response.IsSuccessStatusCode) return HostRefused(context, response);
                    return List(context, response.Content.ReadFromJsonAsync(ApiJson.Default.ListApiKeyInfo).GetAwaiter().GetResult()!);
                }
            }
        }
        catch (HttpRequestException exception)
        {
            context.Error.WriteLine($"A GrowthBot host holds the store but does not answer at {host.Url} ({exception.Message}).");
            return ExitCodes.HostUnavailable;
        }
    }

    private static int HostRefused(CliContext context, HttpResponseMessage response)
    {
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        context.Error.WriteLine($"The host refused ({(int)response.StatusCode}): {body}");
        return (int)response.StatusCode is 400 or 409 ? ExitCodes.BadData : ExitCodes.HostUnavailable;
    }

    private static List<string> Scopes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [ApiKeyScopes.Ingest];
        var scopes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(scope => scope.ToLowerInvariant()).ToList();
        var unknown = scopes.FirstOrDefault(scope => !ApiKeyScopes.IsKnown(scope));
        if (unknown is not null) throw new UsageException($"Unknown scope '{unknown}'. Scopes: {string.Join(", ", ApiKeyScopes.All)}.");
        return scopes;
    }

    private static DateTimeOffset? Expiry(CliContext context, string? text)
    {
        if (text is null) return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
        {
            throw new UsageException($"--expires '{text}' is not a date (YYYY-MM-DD or ISO-8601).");
        }
        if (expires <= context.Time.GetUtcNow()) throw new UsageException($"--expires {text} is not in the future.");
        return expires;
    }
}
