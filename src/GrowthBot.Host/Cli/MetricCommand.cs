using System.Globalization;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot metric NAME --from DATE --to DATE [--zone ZONE] [--by segment|channel] [--compare previous] [--json] [--db PATH]</c>:
/// answers one metric question from the store through the same engine the bot uses. Dates without
/// an offset are read in <c>--zone</c> (default: the company's time zone), so "March" here is the
/// same March the chat means; a period that has not started yet is refused, as <c>ask</c> does.
/// </summary>
internal static class MetricCommand
{
    public const string Usage = "growthbot metric NAME [--from DATE] [--to DATE] [--zone ZONE] [--by segment|channel] [--compare previous] [--json] [--db PATH]";

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm"];
    private static readonly string[] OffsetFormats = ["yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mmK"];

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "from", "to", "zone", "by", "compare", "db" }, new HashSet<string> { "json" });
        if (arguments.Positionals.Count != 1) throw new UsageException($"Usage: {Usage}\nMetrics: {string.Join(" ", MetricCatalog.Names)} (or any name 'ask' understands, such as churn or NRR)");
        var name = arguments.Positionals[0];
        if (!MetricNames.TryResolve(name, out var metric))
        {
            var closest = MetricNames.Closest(name);
            var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : string.Empty;
            throw new UsageException($"Unknown metric '{name}'.{hint}\nKnown metrics: {string.Join(" ", MetricCatalog.Names)}");
        }

        var zone = Zone(context, arguments);
        var now = context.Time.GetUtcNow().UtcDateTime;
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        var from = ParseDate(arguments, "from", zone) ?? TimeZoneInfo.ConvertTimeToUtc(new DateTime(localNow.Year, localNow.Month, 1, 0, 0, 0, DateTimeKind.Unspecified), zone);
        var to = ParseDate(arguments, "to", zone) ?? now;
        if (to <= from) throw new UsageException($"--to ({to:yyyy-MM-dd HH:mm}) must be after --from ({from:yyyy-MM-dd HH:mm}); the period is [from, to).");
        if (from > now)
        {
            var start = TimeZoneInfo.ConvertTimeFromUtc(from, zone);
            throw new UsageException($"The period starting {start:yyyy-MM-dd HH:mm} ({zone.Id}) hasn't started yet, so there is nothing to show.");
        }
        var by = arguments.Option("by")?.ToLowerInvariant() switch
        {
            null => Breakdown.None,
            "segment" => Breakdown.Segment,
            "channel" => Breakdown.Channel,
            var other => throw new UsageException($"--by '{other}' is not supported; use --by segment or --by channel."),
        };
        var compare = arguments.Option("compare")?.ToLowerInvariant() switch
        {
            null => false,
            "previous" => true,
            var other => throw new UsageException($"--compare '{other}' is not supported; use --compare previous."),
        };

        var engineOptions = context.EngineOptions();
        using var store = LiteGrowthStore.OpenExisting(context.StorageFor(arguments));
        using var engine = new MetricEngine(engineOptions, context.Company().Zone(), context.Time);
        if (!Hosting.EngineSnapshotFile.Load(engine, store).FromSnapshot)
        {
            // This process holds the store's lock, so it may leave a snapshot for the next start.
            Hosting.EngineSnapshotFile.Save(engine, store, store.Generation);
        }
        var answer = engine.Answer(new MetricQuery(metric.Id, from, to, by, compare));
        var freshness = new Core.Freshness.StoredFreshness(new LiteFreshnessStore(store), context.FreshnessOptions(), context.Time);
        answer = answer with { Age = Core.Freshness.DataAge.Of(metric.Id, engine, freshness, context.Time.GetUtcNow()) };

        if (arguments.Switch("json")) context.Output.WriteLine(MetricAnswerJson.Write(answer));
        else MetricAnswerText.Write(context.Output, answer, engineOptions.Currency, context.Accountability().TeamsFor(metric.Id), zone, context.Time.GetUtcNow());
        return ExitCodes.Ok;
    }

    private static TimeZoneInfo Zone(CliContext context, CommandArguments arguments)
    {
        if (arguments.Option("zone") is not { } id) return context.Company().Zone();
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new UsageException($"--zone '{id}' is not a time zone this machine knows; use an IANA id such as Europe/Berlin or UTC.");
        }
    }

    /// <summary>A date or a time without an offset is read in <paramref name="zone"/>; one with Z or an offset keeps its instant.</summary>
    private static DateTime? ParseDate(CommandArguments arguments, string name, TimeZoneInfo zone)
    {
        var text = arguments.Option(name);
        if (text is null) return null;
        var time = text.IndexOf('T', StringComparison.Ordinal);
        var hasOffset = time > 0 && (text.EndsWith('Z') || text.IndexOfAny(['+', '-'], time) > 0);
        if (hasOffset && DateTimeOffset.TryParseExact(text, OffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
        {
            return exact.UtcDateTime;
        }
        if (!hasOffset && DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            wall = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
            while (zone.IsInvalidTime(wall)) wall = wall.AddMinutes(30);
            return TimeZoneInfo.ConvertTimeToUtc(wall, zone);
        }
        throw new UsageException($"--{name} '{text}' is not a date; use YYYY-MM-DD (read in {zone.Id}) or an ISO-8601 time such as 2025-03-01T00:00:00Z.");
    }
}
