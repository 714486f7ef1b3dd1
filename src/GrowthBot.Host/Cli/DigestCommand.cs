using GrowthBot.Core.Digests;
using GrowthBot.Host.Digests;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot digest (--team TEAM | --metrics a,b) --preview [--zone ZONE] [--chart FILE] [--db PATH]</c>:
/// prints the digest a channel following that team would get for the last complete week, composed
/// by the same composer from the store (targets and survey comments included). It only reads, and
/// never counts as a delivery; posting is the host's job. <c>--chart</c> also writes the trend chart PNG.
/// </summary>
internal static class DigestCommand
{
    public const string Usage = "growthbot digest (--team TEAM | --metrics a,b) --preview [--zone Europe/Berlin] [--chart FILE.png] [--db PATH]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "team", "metrics", "zone", "chart", "db" }, new HashSet<string> { "preview" });
        if (arguments.Positionals.Count > 0 || (arguments.Option("team") is null) == (arguments.Option("metrics") is null))
        {
            throw new UsageException($"Usage: {Usage}\nName a team ({string.Join(", ", DigestWords.TeamNames)}) or a list of metrics, not both.");
        }
        if (!arguments.Switch("preview"))
        {
            throw new UsageException($"The command line only previews digests (add --preview); the running host posts them on schedule.\nUsage: {Usage}");
        }
        var subjectText = arguments.Option("team") ?? arguments.Option("metrics")!;
        if (!DigestSubject.TryParse([subjectText], out var subject, out var error)) throw new UsageException(error);

        var company = context.Company();
        var zone = company.Zone();
        if (arguments.Option("zone") is { } zoneId && !DigestWords.TryZone(zoneId, out zone, out var suggestion))
        {
            throw new UsageException($"Unknown time zone '{zoneId}'.{suggestion} Use an IANA name such as Europe/Berlin.");
        }

        var engineOptions = context.EngineOptions();
        using var store = LiteGrowthStore.OpenExisting(context.StorageFor(arguments));
        using var engine = new Core.Metrics.MetricEngine(engineOptions);
        if (!Hosting.EngineSnapshotFile.Load(engine, store).FromSnapshot) Hosting.EngineSnapshotFile.Save(engine, store, store.Generation);

        var charts = new ChartFile(new ScottPlotTrendChart());
        var composer = new DigestComposer(engine, new LiteSurveyStore(store), charts, new DigestOptions(), engineOptions.Currency, context.Time,
            new Core.Freshness.StoredFreshness(new LiteFreshnessStore(store), context.FreshnessOptions(), context.Time));
        var period = DigestCalendar.PeriodFor(DigestSchedule.Default, zone, context.Time.GetUtcNow());
        var name = subject.Team?.ToString() ?? string.Join(", ", subject.Metrics.Select(metric => Core.Metrics.MetricCatalog.Get(metric).Name));
        var metrics = subject.Team is { } team ? context.Accountability().MetricsFor(team) : subject.Metrics;
        var digest = composer.Compose(new DigestRequest(name, metrics, period, new LiteDigestStore(store).Targets(), DigestMode.Preview));

        context.Output.WriteLine(digest.Message.FallbackText);
        if (arguments.Option("chart") is { } chartPath)
        {
            if (charts.Last is null)
            {
                context.Error.WriteLine("No chart: none of these metrics has data for that week.");
            }
            else
            {
                File.WriteAllBytes(chartPath, charts.Last);
                context.Error.WriteLine($"Chart written to {Path.GetFullPath(chartPath)}");
            }
        }
        return ExitCodes.Ok;
    }

    /// <summary>Keeps the PNG the composer asked for, so --chart can write it.</summary>
    private sealed class ChartFile(ITrendChartRenderer inner) : ITrendChartRenderer
    {
        public byte[]? Last { get; private set; }

        public byte[] RenderPng(TrendChart chart) => Last = inner.RenderPng(chart);
    }
}
