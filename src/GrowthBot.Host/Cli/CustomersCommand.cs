using System.Globalization;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot customers [--search TEXT] [--limit N] [--db PATH]</c>: lists customers with their id
/// (the one import files, surveys and <c>survey link</c> use), name, segment, channel and MRR now,
/// or only those whose id or name contains TEXT (case-insensitive). Read-only.
/// </summary>
internal static class CustomersCommand
{
    public const string Usage = "growthbot customers [--search TEXT] [--limit N] [--db PATH]";

    private const int DefaultLimit = 50;

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "search", "limit", "db" }, new HashSet<string>());
        if (arguments.Positionals.Count > 0) throw new UsageException($"Usage: {Usage}");
        var limit = DefaultLimit;
        if (arguments.Option("limit") is { } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit <= 0))
        {
            throw new UsageException($"--limit '{limitText}' must be a positive whole number.");
        }
        var search = arguments.Option("search")?.Trim();

        var sink = new CustomerSink(context.Time.GetUtcNow().UtcDateTime);
        using (var store = LiteGrowthStore.OpenExisting(context.StorageFor(arguments)))
        {
            store.ReadAll(sink);
        }
        var matches = sink.Customers
            .Where(customer => string.IsNullOrEmpty(search)
                || customer.Id.Contains(search, StringComparison.OrdinalIgnoreCase)
                || customer.Name.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(customer => customer.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(customer => customer.Id, StringComparer.Ordinal)
            .ToList();
        if (matches.Count == 0)
        {
            context.Output.WriteLine(string.IsNullOrEmpty(search)
                ? "The store holds no customers yet. Import them with 'growthbot import customers FILE' (or try 'growthbot demo')."
                : $"No customer's id or name contains '{search}' (of {sink.Customers.Count:N0} customers).");
            return ExitCodes.Ok;
        }

        var currency = context.EngineOptions().Currency;
        var shown = matches.Take(limit).ToList();
        var rows = shown.Select(customer => new[]
        {
            customer.Id, customer.Name, customer.Segment, customer.AcquisitionChannel,
            sink.MrrNow(customer.Id) is { } mrr and > 0 ? $"{currency} {mrr.ToString("N2", CultureInfo.InvariantCulture)}" : "not paying",
        }).ToList();
        string[] header = ["id", "name", "segment", "channel", "MRR now"];
        var widths = header.Select((title, column) => Math.Max(title.Length, rows.Max(row => row[column].Length))).ToArray();
        context.Output.WriteLine(string.Join("  ", header.Select((title, column) => title.PadRight(widths[column]))).TrimEnd());
        foreach (var row in rows) context.Output.WriteLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        var noun = matches.Count == 1 ? "customer" : "customers";
        var scope = string.IsNullOrEmpty(search) ? noun : $"{noun} matching '{search}'";
        context.Output.WriteLine(shown.Count < matches.Count
            ? $"{shown.Count:N0} of {matches.Count:N0} {scope} shown; use --search TEXT or --limit N for the others."
            : $"{matches.Count:N0} {scope}.");
        return ExitCodes.Ok;
    }

    /// <summary>Keeps customers and each one's latest MRR up to now; ignores every other kind of row.</summary>
    private sealed class CustomerSink(DateTime now) : IGrowthDataSink
    {
        private readonly Dictionary<string, (DateTime Date, decimal Mrr)> _latest = new(StringComparer.Ordinal);

        public List<Customer> Customers { get; } = [];

        public decimal? MrrNow(string customerId) => _latest.TryGetValue(customerId, out var latest) ? latest.Mrr : null;

        public void Add(Customer customer) => Customers.Add(customer);

        public void Add(SubscriptionChange change)
        {
            if (change.At > now) return;
            if (!_latest.TryGetValue(change.CustomerId, out var latest) || change.At >= latest.Date) _latest[change.CustomerId] = (change.At, change.Mrr);
        }

        public void Add(Order order) { }

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) { }

        public void Add(SurveyResponse response) { }
    }
}
