using System.Globalization;
using System.Text.Json;
using GrowthBot.Core.Freshness;
using GrowthBot.Host.Api;
using GrowthBot.Host.Hosting;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot status [--db PATH] [--host URL]</c>: when data last arrived from each source
/// (billing, support, surveys) and whether that is older than its threshold. Asks the host holding
/// the store (its <c>/internal/health</c>, with the host's own key from <c>{store}.host</c>; with
/// <c>--host URL</c>, an admin key in <c>Cli__ApiKey</c>), or reads the store when no host runs on it.
/// </summary>
internal static class StatusCommand
{
    public const string Usage = "growthbot status [--db PATH] [--host URL]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "host" }, new HashSet<string>());
        if (arguments.Positionals.Count != 0) throw new UsageException($"Usage: {Usage}");
        if (arguments.Option("host") is { } hostUrl) return FromHost(context, hostUrl, context.Configuration["Cli:ApiKey"]);
        var storage = context.StorageFor(arguments);
        LiteGrowthStore store;
        try
        {
            store = new LiteGrowthStore(storage);
        }
        catch (StoreLockedException) when (HostFile.Read(storage.Path) is { } host)
        {
            return FromHost(context, host.Url, host.Key);
        }
        using (store)
        {
            var options = new FreshnessOptions();
            context.Configuration.GetSection(FreshnessOptions.SectionName).Bind(options);
            var last = new LiteFreshnessStore(store).Load();
            var now = context.Time.GetUtcNow();
            context.Output.WriteLine($"No host runs on {store.FilePath}; from the store:");
            foreach (var source in Enum.GetValues<DataSource>())
            {
                DateTimeOffset? at = last.TryGetValue(source, out var value) ? value : null;
                var maxAge = options.MaxAgeOf(source);
                context.Output.WriteLine(Line(source.ToString().ToLowerInvariant(), at, maxAge, at is null || now - at.Value > maxAge, now));
            }
            return ExitCodes.Ok;
        }
    }

    private static int FromHost(CliContext context, string hostUrl, string? key)
    {
        using var client = context.HttpClientFor(hostUrl);
        if (!string.IsNullOrWhiteSpace(key)) client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Trim());
        try
        {
            using var response = client.GetAsync(HealthEndpoints.DetailPath.TrimStart('/')).GetAwaiter().GetResult();
            if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                context.Error.WriteLine($"The host at {hostUrl} refused to show its status: set Cli__ApiKey to an API key with the admin scope (create one with `growthbot apikey create NAME --scopes admin`).");
                return ExitCodes.HostUnavailable;
            }
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var status = root.GetProperty("status").GetString();
            if (status == "starting" || !root.TryGetProperty("sources", out var sources))
            {
                context.Output.WriteLine($"The host at {hostUrl} is {status}.");
                return ExitCodes.HostUnavailable;
            }
            if (root.TryGetProperty("store", out var store) && store.TryGetProperty("writable", out var writable) && !writable.GetBoolean())
            {
                context.Output.WriteLine($"The store cannot write: {store.GetProperty("problem").GetString()}.");
            }
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"The host at {hostUrl} is {root.GetProperty("status").GetString()}: {root.GetProperty("customers").GetInt32():N0} customers, indexed from the {root.GetProperty("indexedFrom").GetString()}."));
            var now = context.Time.GetUtcNow();
            foreach (var source in sources.EnumerateObject())
            {
                var last = source.Value.GetProperty("lastEventAt");
                DateTimeOffset? at = last.ValueKind == JsonValueKind.Null ? null : last.GetDateTimeOffset();
                var maxAge = TimeSpan.Parse(source.Value.GetProperty("maxAge").GetString()!, CultureInfo.InvariantCulture);
                context.Output.WriteLine(Line(source.Name, at, maxAge, source.Value.GetProperty("stale").GetBoolean(), now));
            }
            return ExitCodes.Ok;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or KeyNotFoundException)
        {
            context.Error.WriteLine($"No GrowthBot host answers at {hostUrl} ({exception.Message}).");
            return ExitCodes.HostUnavailable;
        }
    }

    internal static string Line(string source, DateTimeOffset? at, TimeSpan maxAge, bool stale, DateTimeOffset now)
    {
        var when = at is { } value ? string.Create(CultureInfo.InvariantCulture, $"last event {value:yyyy-MM-dd HH:mm} UTC ({Age(now - value)} ago)") : "no events yet";
        return $"  {source,-8} {when,-48} {(stale ? "STALE" : "fresh")} (threshold {Age(maxAge)})";
    }

    private static string Age(TimeSpan span) => span.TotalDays >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} h") : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, span.TotalMinutes):0} min");
}
