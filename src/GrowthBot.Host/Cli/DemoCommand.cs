using System.Globalization;
using GrowthBot.Core.Demo;
using GrowthBot.Core.Import;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary><c>growthbot demo [--db PATH] [--customers N] [--seed N]</c>: writes the demo company's two-year history.</summary>
internal static class DemoCommand
{
    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db", "customers", "seed" }, new HashSet<string>());
        if (arguments.Positionals.Count > 0) throw new UsageException("Usage: growthbot demo [--db PATH] [--customers N] [--seed N]");
        var options = new DemoHistoryOptions
        {
            End = context.Time.GetUtcNow().UtcDateTime,
            Customers = PositiveInt(arguments, "customers", new DemoHistoryOptions { End = default }.Customers),
            Seed = PositiveInt(arguments, "seed", new DemoHistoryOptions { End = default }.Seed),
        };

        using var store = new LiteGrowthStore(context.StorageFor(arguments));
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
