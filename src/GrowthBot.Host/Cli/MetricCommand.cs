using System.Globalization;
using GrowthBot.Core.Metrics;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot metric NAME --from DATE --to DATE [--by segment|channel] [--compare previous] [--json] [--db PATH]</c>:
/// answers one metric question from the store through the same engine the bot uses.
/// </summary>
internal static class MetricCommand
{
    public const string Usage = "growthbot metric NAME [--from DATE] [--to DATE] [--by segment|channel] [--compare previous] [--json] [--db PATH]";

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm"];

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "from", "to", "by", "compare", "db" }, new HashSet<string> { "json" });
        if (arguments.Positionals.Count != 1) throw new UsageException($"Usage: {Usage}\nMetrics: {string.Join(" ", MetricCatalog.Names)} (or any name 'ask' understands, such as churn or NRR)");
        var name = arguments.Positionals[0];
        if (!MetricNames.TryResolve(name, out var metric))
        {
            var closest = MetricNames.Closest(name);
            var hint = closest.Count > 0 ? $" Did you mean {string.Join(" or ", closest)}?" : string.Empty;
            throw new UsageException($"Unknown metric '{name}'.{hint}\nKnown metrics: {string.Join(" ", MetricCatalog.Names)}");
        }

        var now = context.Time.GetUtcNow().UtcDateTime;
        var from = ParseDate(arguments, "from") ?? new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = ParseDate(arguments, "to") ?? now;
        if (to <= from) throw new UsageException($"--to ({to:yyyy-MM-dd HH:mm}) must be after --from ({from:yyyy-MM-dd HH:mm}); the period is [from, to).");
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
        using var engine = new MetricEngine(engineOptions);
        if (!Hosting.EngineSnapshotFile.Load(engine, store).FromSnapshot)
        {
            // This process holds the store's lock, so it may leave a snapshot for the next start.
            Hosting.EngineSnapshotFile.Save(engine, store, store.Generation);
        }
        var answer = engine.Answer(new MetricQuery(metric.Id, from, to, by, compare));

        if (arguments.Switch("json")) context.Output.WriteLine(MetricAnswerJson.Write(answer));
        else MetricAnswerText.Write(context.Output, answer, engineOptions.Currency, context.Accountability().TeamsFor(metric.Id));
        return ExitCodes.Ok;
    }

    private static DateTime? ParseDate(CommandArguments arguments, string name)
    {
        var text = arguments.Option(name);
        if (text is null) return null;
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var moment))
        {
            return moment;
        }
        throw new UsageException($"--{name} '{text}' is not a date; use YYYY-MM-DD (UTC) or an ISO-8601 time such as 2025-03-01T00:00:00Z.");
    }
}
