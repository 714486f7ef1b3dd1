using GrowthBot.Core.Metrics;
using GrowthBot.Core.Text;
using GrowthBot.Storage;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Cli;

/// <summary>
/// The command-line verbs of the <c>growthbot</c> executable. The bot host runs only for <c>serve</c>
/// or no verb at all (host options such as <c>--urls</c> may follow or stand alone); any other first
/// word is a verb, and an unknown one is an error with the closest verb suggested, never a host
/// started by a typo.
/// </summary>
internal static class GrowthBotCli
{
    public const string Serve = "serve";

    private static readonly string[] Verbs = ["import", "metric", "ask", "customers", "digest", "demo", "survey", "apikey", "status", "connect", "backup", "migrate", "slack-sim", "help"];

    private static readonly string[] HelpWords = ["help", "--help", "-h", "-?"];

    /// <summary>True for <c>serve</c>, no arguments, or only host options (<c>--urls URL</c>, <c>--Section:Key=value</c>).</summary>
    public static bool RunsHost(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0) return true;
        var first = args[0];
        if (string.Equals(first, Serve, StringComparison.OrdinalIgnoreCase)) return true;
        return first.StartsWith("--", StringComparison.Ordinal) && !HelpWords.Contains(first, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The arguments the web host reads: everything after <c>serve</c>.</summary>
    public static string[] HostArguments(string[] args) =>
        args.Length > 0 && string.Equals(args[0], Serve, StringComparison.OrdinalIgnoreCase) ? args[1..] : args;

    /// <summary>The configuration the host also reads: appsettings.json beside the executable, then environment variables.</summary>
    public static IConfiguration DefaultConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static int Run(string[] args, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Length == 0 || HelpWords.Contains(args[0], StringComparer.OrdinalIgnoreCase)) return Help(context.Output);
        var rest = args.Skip(1);
        try
        {
            return args[0].ToLowerInvariant() switch
            {
                "customers" => CustomersCommand.Run(context, rest),
                "import" => ImportCommand.Run(context, rest),
                "metric" => MetricCommand.Run(context, rest),
                "ask" => AskCommand.Run(context, rest),
                "digest" => DigestCommand.Run(context, rest),
                "demo" => DemoCommand.Run(context, rest),
                "survey" => SurveyCommand.Run(context, rest),
                "apikey" => ApiKeyCommand.Run(context, rest),
                "status" => StatusCommand.Run(context, rest),
                "connect" => ConnectCommand.Run(context, rest),
                "backup" => BackupCommand.Run(context, rest),
                "migrate" => MigrateCommand.Run(context, rest),
                "slack-sim" => SlackSimCommand.Run(context, rest),
                _ => UnknownVerb(context.Error, args[0]),
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
        catch (StoreOpenException exception)
        {
            context.Error.WriteLine(exception.Message);
            return ExitCodes.StoreUnreadable;
        }
        catch (Core.Ports.StoreUnavailableException exception)
        {
            // A full disk: nothing of this command's change was written.
            context.Error.WriteLine(exception.Message);
            return ExitCodes.StoreUnreadable;
        }
    }

    private static int UnknownVerb(TextWriter error, string verb)
    {
        var closest = Suggestions.Closest(verb.ToLowerInvariant(), [.. Verbs, Serve], max: 1);
        var hint = closest.Count > 0 ? $" Did you mean '{closest[0]}'?" : string.Empty;
        error.WriteLine($"Unknown command '{verb}'.{hint} Commands: {string.Join(", ", Verbs)}, and '{Serve}' (or nothing) to run the bot host. See 'growthbot help'.");
        return ExitCodes.Usage;
    }

    private static int Help(TextWriter output)
    {
        // The import line is the import command's own usage, so help and the command cannot disagree.
        output.WriteLine($"""
            growthbot — customer-growth metrics for Slack and Teams

            growthbot serve [--urls URL]   Runs the bot host (also with no verb at all). Verbs:
              {ImportCommand.Usage["growthbot ".Length..]}
                  Loads CSV (or one .json/.ndjson) files. Re-importing the same rows changes nothing; a bad row rejects
                  every file. While a host runs on the store the files go through it (--host: a remote host, key in Cli__ApiKey).
              metric NAME [--from DATE] [--to DATE] [--by segment|channel] [--compare previous] [--json] [--db PATH]
                  Answers one metric for [from, to) (default: this month so far).
              ask "QUESTION" [--json] [--db PATH]   Answers a question in plain words, e.g. "churn last month by segment".
              digest (--team TEAM | --metrics a,b) --preview [--zone ZONE] [--chart FILE.png] [--db PATH]
                  Prints last week's digest for a team or metrics, as a channel would get it (read-only).
              customers [--search TEXT] [--limit N] [--db PATH]
                  Lists customers (id, name, segment, channel, MRR now), or those whose id or name contains TEXT.
              demo [--replace] [--db PATH] [--customers N] [--seed N]
                  Writes a deterministic two-year demo history into an empty store (--replace: discard the store first).
              survey send <nps|ces|csat> --to recipients.csv [--topic TEXT] [--platform slack|teams] [--no-wait] [--host URL]
                  Asks a survey in chat through the running host (recipients: customer_id, platform, user_id).
              survey status [--host URL]   Response rates of every survey run.
              apikey create NAME [--scopes ingest,admin] [--expires DATE] | apikey list | apikey revoke NAME
                  API keys for the HTTP API (POST /api/v1/import/KIND); a new key is shown once.
              connect stripe --backfill [--db PATH] [--host URL]
                  Reads every Stripe customer, subscription and paid invoice (Stripe__SecretKey); safe to run again.
              status [--db PATH] [--host URL]   When data last arrived from billing, support and surveys (stale past Freshness__*MaxAge).
              backup FILE [--db PATH]   A consistent copy of the store (through the host while one runs), and FILE.keys.
              {MigrateCommand.Usage["growthbot ".Length..]}
                  Copies a LiteDB store (stop its host first) into PostgreSQL, then checks row counts and metric values (docs/postgres.md).
              slack-sim [--db PATH] [--urls URL] [--api-port PORT] [--files DIR]
                  Tries the Slack side without a workspace: runs the host against a local Slack simulator; type as a user, press buttons.

            """);
        output.WriteLine($"The store is {StorageOptions.DefaultPath} unless --db or Storage__Path says otherwise. Exit codes: docs/cli.md.");
        output.WriteLine($"Metrics: {string.Join(" ", MetricCatalog.Names)}");
        return ExitCodes.Ok;
    }
}
