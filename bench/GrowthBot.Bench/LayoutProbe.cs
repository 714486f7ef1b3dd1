using System.Diagnostics;
using System.Globalization;
using GrowthBot.Storage;
using LiteDB;

namespace GrowthBot.Bench;

/// <summary>
/// The hidden verb <c>--layout-probe STORE</c>: what the packed layout changes, on a copy of an
/// existing store (the store itself is never changed). The copy is turned back into layout 1 (the
/// packed documents and the layout version removed, which is exactly a store written before the
/// packed layout), opened as the host opens it, which converts it (timed), and then orders,
/// tickets and survey responses are read into a counting sink both ways, three times alternated:
/// a document per row as layout 1 read them, and the packed documents the start now reads.
/// Wall and CPU time per way; the machine's load is printed, since a busy machine inflates both.
/// </summary>
internal static class LayoutProbe
{
    public const string Verb = "--layout-probe";

    public static int Run(string[] args)
    {
        if (args.Length != 2) throw new ArgumentException($"Usage: {Verb} STORE_PATH");
        var copy = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(args[1]))!, "layout-probe-" + Path.GetFileName(args[1]));
        File.Copy(args[1], copy, overwrite: true);
        try
        {
            using (var database = new LiteDatabase(new ConnectionString { Filename = copy }))
            {
                foreach (var kind in PackedRows.All) database.DropCollection(kind.PackedCollection);
                database.GetCollection(LiteGrowthStore.MetaCollection).Delete("layout");
                database.Checkpoint();
            }
            BenchCommand.Log($"Layout probe on a layout-1 copy of {args[1]} (load {Load()})");
            var cpu = StartupProbe.Cpu();
            using var store = new LiteGrowthStore(new StorageOptions { Path = copy });
            var migration = store.Migration ?? throw new InvalidOperationException("The copy was not converted.");
            BenchCommand.Log(Invariant($"Converted to layout 2 in {migration.Elapsed.TotalSeconds:F2} s ({(StartupProbe.Cpu() - cpu) / 1000:F2} s CPU): {migration.Rows:N0} orders, tickets and responses into {migration.CustomerDocuments:N0} customer documents"));
            for (var round = 1; round <= 3; round++)
            {
                Time($"round {round}: a document per row (layout 1)", sink => PerRow(store, sink));
                Time($"round {round}: packed per customer (layout 2)", sink => Packed(store, sink));
            }
            SingleCustomerWrites(store);
            BenchCommand.Log($"Machine load average: {Load()}");
        }
        finally
        {
            foreach (var path in new[] { copy, copy + ".lock", Path.ChangeExtension(copy, null) + "-log.db" }) File.Delete(path);
        }
        return 0;
    }

    /// <summary>
    /// Webhook-sized writes on the converted copy: 1,000 batches of one row each (an order, a ticket
    /// or a response; new ids, and every other one rewriting a row just written with a new value),
    /// for customers that already have rows, each its own transaction as a webhook's is.
    /// </summary>
    private static void SingleCustomerWrites(LiteGrowthStore store)
    {
        var customers = store.Database.GetCollection(PackedRows.Tickets.PackedCollection).FindAll().Take(1000).Select(document => document["_id"].AsString).ToList();
        if (customers.Count == 0) return;
        var random = new Random(7);
        var at = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
        var times = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            var customer = customers[random.Next(customers.Count)];
            var id = Invariant($"bench-{i / 2}");
            var batch = new Core.Data.GrowthDataBatch();
            switch (i / 2 % 3)
            {
                case 0: batch.Orders.Add(new Core.Data.Order(id, customer, at.AddHours(i), 10m + i)); break;
                case 1: batch.Tickets.Add(new Core.Data.Ticket(id, customer, at, i % 2 == 0 ? null : at.AddHours(i), 1)); break;
                default: batch.Responses.Add(new Core.Data.SurveyResponse(id, Core.Data.SurveyKind.Ces, customer, i % 7 + 1, null, at.AddHours(i))); break;
            }
            var clock = Stopwatch.StartNew();
            store.Write(batch);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        BenchCommand.Log(Invariant($"1,000 single-row writes (order, ticket or response; new, then rewritten): median {times[499]:F2} ms, p99 {times[989]:F2} ms, max {times[^1]:F2} ms"));
    }

    private static void PerRow(LiteGrowthStore store, StartupProbe.CountingSink sink)
    {
        foreach (var document in store.Database.GetCollection(LiteGrowthStore.OrdersCollection).FindAll()) sink.Add(BsonRows.ToOrder(document));
        foreach (var document in store.Database.GetCollection(LiteGrowthStore.TicketsCollection).FindAll()) sink.Add(BsonRows.ToTicket(document));
        foreach (var document in store.Database.GetCollection(LiteGrowthStore.ResponsesCollection).FindAll()) sink.Add(BsonRows.ToResponse(document));
    }

    private static void Packed(LiteGrowthStore store, StartupProbe.CountingSink sink)
    {
        foreach (var kind in PackedRows.All)
        {
            foreach (var document in store.Database.GetCollection(kind.PackedCollection).FindAll()) kind.Read(document, sink);
        }
    }

    private static void Time(string what, Action<StartupProbe.CountingSink> read)
    {
        GC.Collect();
        var sink = new StartupProbe.CountingSink();
        var cpu = StartupProbe.Cpu();
        var clock = Stopwatch.StartNew();
        read(sink);
        BenchCommand.Log(Invariant($"  {what}: {sink.Rows:N0} rows in {clock.Elapsed.TotalSeconds:F2} s, {(StartupProbe.Cpu() - cpu) / 1000:F2} s CPU"));
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
