using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Formulas;
using GrowthBot.Storage;
using GrowthBot.Storage.Postgres;
using Npgsql;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot migrate --from growthbot.db --to "Host=…" [--into-non-empty]</c>: copies a LiteDB store
/// into PostgreSQL (the schema is created first), growth data streamed in batches with progress, then
/// the rest the host keeps (conversations, surveys, digests and their delivery log, targets, installations
/// with the Data Protection key ring that encrypts their tokens, API keys, alerts, follow-up cases, freshness, pending inbox messages). It then checks the copy: row counts per kind, and MRR,
/// customer churn and NPS over three months computed by the metric engine from each store. Any
/// difference is reported and the exit code is 9. A target that already holds growth data is refused.
/// </summary>
internal static class MigrateCommand
{
    public const string Usage = "growthbot migrate --from PATH --to CONNECTION_STRING [--into-non-empty]";

    private const int BatchRows = 20_000;

    private static readonly MetricId[] Checked = [MetricId.Mrr, MetricId.CustomerChurn, MetricId.Nps];

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "from", "to" }, new HashSet<string> { "into-non-empty" });
        if (arguments.Positionals.Count > 0 || arguments.Option("from") is not { } from || arguments.Option("to") is not { } to)
            throw new UsageException($"Usage: {Usage}");
        if (!File.Exists(from)) throw new UsageException($"--from '{from}' is not a file: give the LiteDB store to copy (growthbot.db).");
        PostgresStorageOptions target;
        try
        {
            target = new PostgresStorageOptions { ConnectionString = new NpgsqlConnectionStringBuilder(to).ConnectionString };
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"--to is not an Npgsql connection string ({exception.Message.Split('\n')[0].TrimEnd('.')}); e.g. \"Host=db;Database=growthbot;Username=growthbot;Password=…\".");
        }

        using var lite = LiteGrowthStore.OpenExisting(new StorageOptions { Path = from });
        PostgresDatabase database;
        try
        {
            database = new PostgresDatabase(target);
        }
        catch (Exception exception) when (exception is NpgsqlException or SchemaTooNewException)
        {
            context.Error.WriteLine($"Cannot open the PostgreSQL store: {exception.Message.TrimEnd('.')}.");
            return ExitCodes.StoreUnreadable;
        }
        using (database)
        {
            var postgres = new PostgresGrowthStore(database);
            var before = postgres.Counts();
            if (before.Values.Sum() > 0 && !arguments.Switch("into-non-empty"))
            {
                context.Error.WriteLine($"The PostgreSQL store {database.Description} already holds growth data ({Describe(before)}); nothing was copied. " +
                    "Copy into an empty database, or add --into-non-empty to merge (rows with the same keys are replaced by the LiteDB ones).");
                return ExitCodes.BadData;
            }

            context.Error.WriteLine($"Copying {Path.GetFullPath(from)} into PostgreSQL {database.Description}.");
            var progress = new ConsoleProgress(context);
            var copied = CopyGrowthData(lite, postgres, progress);
            progress.Finish();
            var others = CopyTheRest(lite, database);
            context.Output.WriteLine($"Copied {Describe(copied.Counts)}; {others}.");

            var problems = Verify(context, lite, postgres, copied.Counts, before);
            if (problems.Count == 0)
            {
                context.Output.WriteLine($"Checked: every kind has as many rows as in LiteDB, and {string.Join(", ", Checked.Select(MetricName))} agree on {copied.Samples} periods.");
                return ExitCodes.Ok;
            }
            context.Error.WriteLine("The copy does not match the LiteDB store:");
            foreach (var problem in problems) context.Error.WriteLine($"  {problem}");
            return ExitCodes.CopyMismatch;
        }
    }

    private static (Dictionary<string, long> Counts, int Samples) CopyGrowthData(LiteGrowthStore lite, PostgresGrowthStore postgres, ConsoleProgress progress)
    {
        var sink = new CopyingSink(postgres, progress);
        ((IGrowthStore)lite).ReadAll(sink);
        sink.Flush();
        return (sink.Counts, 3);
    }

    private static string CopyTheRest(LiteGrowthStore lite, PostgresDatabase database)
    {
        var counts = new List<string>();
        var conversations = new LiteConversationDirectory(lite);
        var conversationsTo = new PostgresConversationDirectory(database);
        var known = Enum.GetValues<ChatPlatform>().SelectMany(conversations.All).ToList();
        foreach (var conversation in known) conversationsTo.Remember(conversation);
        counts.Add($"{known.Count} conversations");

        var surveys = new LiteSurveyStore(lite);
        var surveysTo = new PostgresSurveyStore(database);
        var recipients = surveys.AllRecipients();
        surveysTo.SaveRecipients(recipients.ToList());
        var runs = surveys.Runs();
        foreach (var run in runs) surveysTo.SaveRun(run);
        var invitations = runs.Select(run => run.Id).Append(SurveyRun.TicketRunId).Distinct(StringComparer.Ordinal)
            .SelectMany(surveys.InvitationsOfRun).Concat(surveys.Active()).DistinctBy(invitation => invitation.Id, StringComparer.Ordinal).ToList();
        surveysTo.SaveInvitations(invitations);
        // Buttons already posted are signed with the LiteDB store's key: the copy keeps it.
        var key = surveys.SigningKey(() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        surveysTo.SigningKey(() => key);
        counts.Add($"{recipients.Count} survey recipients, {runs.Count} survey runs, {invitations.Count} invitations");

        var digests = new LiteDigestStore(lite);
        var digestsTo = new PostgresDigestStore(database);
        var subscriptions = digests.All();
        foreach (var subscription in subscriptions) digestsTo.Save(subscription);
        foreach (var (metric, value) in digests.Targets()) digestsTo.SetTarget(metric, value);
        var deliveries = digests.Deliveries();
        digestsTo.Import(deliveries.ToList());
        counts.Add($"{subscriptions.Count} digest subscriptions, {deliveries.Count} delivery-log lines");

        var installations = new LiteInstallationStore(lite);
        var installationsTo = new PostgresInstallationStore(database);
        var installed = Enum.GetValues<ChatPlatform>().SelectMany(installations.All).ToList();
        foreach (var installation in installed) installationsTo.Save(installation);
        var keys = new LiteApiKeyStore(lite).All();
        var keysTo = new PostgresApiKeyStore(database);
        foreach (var apiKey in keys) keysTo.TryAdd(apiKey);
        // The installations' tokens are encrypted with the key ring beside the LiteDB file: it goes along, or no host could read them.
        var keyRing = Hosting.DatabaseKeyRing.CopyFolder(new PostgresKeyRing(database), Hosting.DataProtectionKeys.Directory(lite.FilePath));
        counts.Add($"{installed.Count} installations, {keys.Count} API keys, {keyRing} Data Protection key ring elements");

        var alerts = new LiteAlertStore(lite).All();
        var alertsTo = new PostgresAlertStore(database);
        foreach (var alert in alerts) alertsTo.Save(alert);
        var cases = new LiteFollowUpStore(lite).Export();
        new PostgresFollowUpStore(database).Import(cases.ToList());
        counts.Add($"{alerts.Count} alerts, {cases.Count} follow-up cases");

        var freshnessTo = new PostgresFreshnessStore(database);
        foreach (var (source, at) in new LiteFreshnessStore(lite).Load()) freshnessTo.Save(source, at);
        var pending = new LiteInbox(lite).Pending();
        var inboxTo = new PostgresInbox(database);
        foreach (var message in pending) inboxTo.TryAccept(message);
        counts.Add($"{pending.Count} unanswered inbox messages");
        return string.Join(", ", counts);
    }

    private static List<string> Verify(CliContext context, LiteGrowthStore lite, PostgresGrowthStore postgres, Dictionary<string, long> copied, IReadOnlyDictionary<string, long> before)
    {
        var problems = new List<string>();
        var after = postgres.Counts();
        foreach (var (kind, count) in copied)
        {
            var stored = after.GetValueOrDefault(kind);
            // Merged into a filled database, the copy holds at least the LiteDB rows; into an empty one, exactly them.
            var expected = before.Values.Sum() == 0 ? count : Math.Max(count, before.GetValueOrDefault(kind));
            if (before.Values.Sum() == 0 ? stored != expected : stored < expected)
                problems.Add($"{kind}: {count:N0} rows in LiteDB, {stored:N0} in PostgreSQL");
        }
        if (before.Values.Sum() > 0) return problems;

        var options = context.EngineOptions();
        var zone = context.Company().Zone();
        using var fromLite = new MetricEngine(options, zone, context.Time);
        fromLite.Load(lite);
        using var fromPostgres = new MetricEngine(options, zone, context.Time);
        fromPostgres.Load(postgres);
        foreach (var (start, end) in SamplePeriods(lite))
        {
            foreach (var metric in Checked)
            {
                var query = new MetricQuery(metric, start, end);
                var expected = fromLite.Answer(query).Result;
                var actual = fromPostgres.Answer(query).Result;
                if (expected.Value != actual.Value || expected.SampleSize != actual.SampleSize)
                {
                    problems.Add($"{MetricName(metric)} {start:yyyy-MM-dd}..{end:yyyy-MM-dd}: {Show(expected.Value)} from LiteDB (n={expected.SampleSize}), {Show(actual.Value)} from PostgreSQL (n={actual.SampleSize})");
                }
            }
        }
        return problems;
    }

    /// <summary>The last month with data, and the months six and twelve before it.</summary>
    private static IEnumerable<(DateTime Start, DateTime End)> SamplePeriods(LiteGrowthStore lite)
    {
        var latest = new LatestMoment();
        ((IGrowthStore)lite).ReadAll(latest);
        var month = new DateTime(latest.Value.Year, latest.Value.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var back in new[] { 0, 6, 12 }) yield return (month.AddMonths(-back), month.AddMonths(1 - back));
    }

    private static string MetricName(MetricId metric) => MetricCatalog.Get(metric).Title;

    private static string Show(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "undefined";

    private static string Describe(IReadOnlyDictionary<string, long> counts) =>
        string.Join(", ", counts.Select(count => $"{count.Value:N0} {count.Key.Replace('_', ' ')}"));

    /// <summary>Writes what the LiteDB store streams into PostgreSQL in batches, counting rows per kind.</summary>
    private sealed class CopyingSink(PostgresGrowthStore target, ConsoleProgress progress) : IGrowthDataSink
    {
        private GrowthDataBatch _batch = new();
        private long _rows;

        public Dictionary<string, long> Counts { get; } = PostgresGrowthStore.CountedTables.ToDictionary(table => table, _ => 0L, StringComparer.Ordinal);

        public void Add(Customer customer) => Added(_batch.Customers, customer, "customers");

        public void Add(SubscriptionChange change) => Added(_batch.Subscriptions, change, "subscription_changes");

        public void Add(Order order) => Added(_batch.Orders, order, "orders");

        public void Add(SpendEntry spend) => Added(_batch.Spend, spend, "spend");

        public void Add(Ticket ticket) => Added(_batch.Tickets, ticket, "tickets");

        public void Add(SurveyResponse response) => Added(_batch.Responses, response, "responses");

        public void Flush()
        {
            if (_batch.Count > 0) target.Write(_batch);
            _batch = new GrowthDataBatch();
            progress.Report(new ImportProgress("Copied", _rows, null));
        }

        private void Added<T>(List<T> rows, T row, string kind)
        {
            rows.Add(row);
            Counts[kind]++;
            _rows++;
            if (_batch.Count >= BatchRows) Flush();
        }
    }

    /// <summary>The latest moment any subscription change or response happened (the metrics checked depend on them).</summary>
    private sealed class LatestMoment : IGrowthDataSink
    {
        public DateTime Value { get; private set; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        public void Add(Customer customer) => Later(customer.SignedUpAt);

        public void Add(SubscriptionChange change) => Later(change.At);

        public void Add(Order order) { }

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) { }

        public void Add(SurveyResponse response) => Later(response.RespondedAt);

        private void Later(DateTime at)
        {
            if (at > Value) Value = at;
        }
    }
}
