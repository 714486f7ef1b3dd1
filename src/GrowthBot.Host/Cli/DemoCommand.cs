using System.Globalization;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Import;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot demo [--replace] [--db PATH] [--customers N] [--seed N]</c>: writes the demo company's
/// two-year history into an empty store. A store that holds data is refused (merging a demo into it
/// would leave rows of an earlier generation behind); <c>--replace</c> discards the store first.
/// </summary>
internal static class DemoCommand
{
    public const string Usage = "growthbot demo [--replace] [--db PATH] [--customers N] [--seed N]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "customers", "seed" }, new HashSet<string> { "replace" });
        if (arguments.Positionals.Count > 0) throw new UsageException($"Usage: {Usage}");
        var options = new DemoHistoryOptions
        {
            End = context.Time.GetUtcNow().UtcDateTime,
            Customers = PositiveInt(arguments, "customers", new DemoHistoryOptions { End = default }.Customers),
            Seed = PositiveInt(arguments, "seed", new DemoHistoryOptions { End = default }.Seed),
        };

        var storage = context.StorageFor(arguments);
        var replace = arguments.Switch("replace");
        using var store = replace ? LiteGrowthStore.Replace(storage) : new LiteGrowthStore(storage);
        if (replace)
        {
            // The engine snapshot describes the discarded store; a new store could reach its generation.
            File.Delete(Hosting.EngineSnapshotFile.PathFor(store));
        }
        else if (!((Core.Ports.IGrowthStore)store).IsEmpty)
        {
            context.Error.WriteLine($"The store {store.FilePath} already holds data, so the demo history was not written (it would mix with what is there). " +
                "Add --replace to discard the store and write the demo instead, or use --db with a new file.");
            return ExitCodes.BadData;
        }
        var progress = new ConsoleProgress(context);
        var batch = DemoHistory.Generate(options);
        var written = new ImportService(store).Write(batch, progress);
        progress.Finish();
        context.Output.WriteLine(
            $"Wrote the demo history into {store.FilePath}: {batch.Customers.Count:N0} customers, {batch.Subscriptions.Count:N0} subscription changes, " +
            $"{batch.Orders.Count:N0} orders, {batch.Spend.Count:N0} spend rows, {batch.Tickets.Count:N0} tickets, {batch.Responses.Count:N0} survey responses " +
            $"({written.Inserted:N0} new, {written.Updated:N0} updated, {written.Unchanged:N0} unchanged).");
        return ExitCodes.Ok;
    }

    private static int PositiveInt(CommandArguments arguments, string name, int fallback)
    {
        var text = arguments.Option(name);
        if (text is null) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"--{name} '{text}' must be a positive whole number.");
    }
}
