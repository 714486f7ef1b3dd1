using GrowthBot.Core.Metrics;
using GrowthBot.Storage;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Cli;

/// <summary>The command-line verbs of the <c>growthbot</c> executable; with no verb it runs the bot host.</summary>
internal static class GrowthBotCli
{
    private static readonly string[] Verbs = ["import", "metric", "ask", "digest", "demo", "survey", "apikey", "status", "help", "--help", "-h"];

    public static bool IsVerb(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    /// <summary>The configuration the host also reads: appsettings.json beside the executable, then environment variables.</summary>
    public static IConfiguration DefaultConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var rest = args.Skip(1);
        try
        {
            return args[0].ToLowerInvariant() switch
            {
                "import" => ImportCommand.Run(context, rest),
                "metric" => MetricCommand.Run(context, rest),
                "ask" => AskCommand.Run(context, rest),
                "digest" => DigestCommand.Run(context, rest),
                "demo" => DemoCommand.Run(context, rest),
                "survey" => SurveyCommand.Run(context, rest),
                "apikey" => ApiKeyCommand.Run(context, rest),
                "status" => StatusCommand.Run(context, rest),
                _ => Help(context.Output),
            };
        }
        catch (UsageException exception)
        {
            context.Error.WriteLine(exception.Message);
            return ExitCodes.Usage;
        }
        catch (MetricQueryException exception)
        {
            context.Error.WriteLine(exception.Message);
            return ExitCodes.Usage;
        }
        catch (StoreLockedException exception)
        {
            context.Error.WriteLine(exception.Message);
            return ExitCodes.StoreBusy;
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine("""
            growthbot — customer-growth metrics for Slack and Teams

            With no verb, runs the bot host (see README.md). Verbs:
              import <customers|subscriptions|orders|spend|tickets|responses> FILE [--db PATH] [--host URL]
                  Loads a CSV (or .json/.ndjson) file. Re-importing the same rows changes nothing; a bad row rejects
                  the whole file. While a host runs on the store the file goes through it (--host: a remote host, key in Cli__ApiKey).
              metric NAME [--from DATE] [--to DATE] [--by segment|channel] [--compare previous] [--json] [--db PATH]
                  Answers one metric for [from, to) (default: this month so far).
              ask "QUESTION" [--json] [--db PATH]   Answers a question in plain words, e.g. "churn last month by segment".
              digest (--team TEAM | --metrics a,b) --preview [--zone ZONE] [--chart FILE.png] [--db PATH]
                  Prints last week's digest for a team or metrics, as a channel would get it (read-only).
              demo [--db PATH] [--customers N] [--seed N]
                  Writes a deterministic two-year demo history.
              survey send <nps|ces|csat> --to recipients.csv [--topic TEXT] [--platform slack|teams] [--no-wait] [--host URL]
                  Asks a survey in chat through the running host (recipients: customer_id, platform, user_id).
              survey status [--host URL]   Response rates of every survey run.
              apikey create NAME [--scopes ingest,admin] [--expires DATE] | apikey list | apikey revoke NAME
                  API keys for the HTTP API (POST /api/v1/import/KIND); a new key is shown once.
              status [--db PATH] [--host URL]   When data last arrived from billing, support and surveys (stale past Freshness__*MaxAge).

            The store is data/growthbot.db unless --db or Storage__Path says otherwise.
            """);
        output.WriteLine($"Metrics: {string.Join(" ", MetricCatalog.Names)}");
        return ExitCodes.Ok;
    }
}
