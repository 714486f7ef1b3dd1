using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using static GrowthBot.Storage.Tests.Rows;

namespace GrowthBot.Storage.Tests.Layout;

/// <summary>
/// The packed layout against a model of the port's promise (a row per id, the latest write wins):
/// after any seeded sequence of batches (new rows, rows replaced in place, rows moved to another
/// customer, rows written again unchanged), the store reads back exactly the model's rows, from the
/// packed documents as from the per-row ones; the changes it reports, applied to the previous
/// rows, give the same; and the same store turned back into layout 1 and converted again reads the same.
/// </summary>
public sealed class PackedLayoutPropertyTests : IDisposable
{
    private static readonly string[] CustomerIds = ["c1", "c2", "c3", "c4", "c5"];
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= 40; seed++) seeds.Add(seed);
        return seeds;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Write_AnySequenceOfBatches_ReadsBackTheModel_FromPackedAndPerRowDocuments_AndAfterConversion(int seed)
    {
        var random = new Random(seed);
        var path = Path.Combine(_temp.Folder, $"seed-{seed}.db");
        var model = new Model();
        var mirror = new Model();
        using (var store = TempStore.Open(path))
        {
            store.Write(Batch(customers: CustomerIds.Select(id => new Customer(id, id, "smb", "ads", At(1, 1), null))));
            for (var step = 0; step < 12; step++)
            {
                var batch = RandomBatch(random, step);
                var changes = new StoreChanges();
                store.Write(batch, changes: changes);
                model.Apply(batch);
                mirror.Remove(changes.Replaced);
                mirror.Apply(changes.Changed);

                AssertReads(model, RecordingSink.ReadAll(store));
                AssertReads(mirror, RecordingSink.ReadAll(store));
                var (orders, tickets, responses) = OldLayout.PerRow(store);
                AssertReads(model, orders, tickets, responses);
            }
        }

        using (var reopened = TempStore.Open(path))
        {
            Assert.Null(reopened.Migration);
            AssertReads(model, RecordingSink.ReadAll(reopened));
        }
        OldLayout.Downgrade(path);
        using (var converted = TempStore.Open(path))
        {
            Assert.NotNull(converted.Migration);
            AssertReads(model, RecordingSink.ReadAll(converted));
        }
    }

    private static GrowthDataBatch RandomBatch(Random random, int step)
    {
        // Ids are distinct within a batch (an import refuses a repeated key) and drawn from a small pool across batches, so rows are often replaced or moved.
        var orders = Pick(random, "o", 14).Select(id => new Order(id, Customer(random), Moment(random), random.Next(1, 4) * 10.5m)).ToList();
        var tickets = Pick(random, "t", 10).Select(id => new Ticket(id, Customer(random), Moment(random),
            random.Next(3) == 0 ? null : Moment(random), random.Next(0, 3))).ToList();
        var responses = Pick(random, "r", 10).Select(id => new SurveyResponse(id, (SurveyKind)random.Next(3), Customer(random), random.Next(0, 11),
            random.Next(2) == 0 ? null : $"comment {random.Next(3)}", Moment(random))).ToList();
        // Some batches write a kind's rows again exactly as they are.
        return step % 4 == 3 ? Batch(orders: orders.Take(2)) : Batch(orders: orders, tickets: tickets, responses: responses);
    }

    private static string[] Pick(Random random, string prefix, int pool) =>
        Enumerable.Range(0, pool).OrderBy(_ => random.Next()).Take(random.Next(0, 6)).Select(i => prefix + i).ToArray();

    private static string Customer(Random random) => CustomerIds[random.Next(CustomerIds.Length)];

    // Whole seconds: the store keeps milliseconds (StorePrecisionTests), which is not what this checks.
    private static DateTime Moment(Random random) => At(1 + random.Next(3), 1 + random.Next(28), random.Next(24), random.Next(60), random.Next(60));

    private static void AssertReads(Model model, RecordingSink sink) => AssertReads(model, sink.Orders, sink.Tickets, sink.Responses);

    private static void AssertReads(Model model, List<Order> orders, List<Ticket> tickets, List<SurveyResponse> responses)
    {
        Assert.Equal(OldLayout.Sorted(model.Orders.Values, order => order.Id), OldLayout.Sorted(orders, order => order.Id));
        Assert.Equal(OldLayout.Sorted(model.Tickets.Values, ticket => ticket.Id), OldLayout.Sorted(tickets, ticket => ticket.Id));
        Assert.Equal(OldLayout.Sorted(model.Responses.Values, response => response.Id), OldLayout.Sorted(responses, response => response.Id));
    }

    /// <summary>A row per id; the latest write wins.</summary>
    private sealed class Model
    {
        public Dictionary<string, Order> Orders { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Ticket> Tickets { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, SurveyResponse> Responses { get; } = new(StringComparer.Ordinal);

        public void Apply(GrowthDataBatch batch)
        {
            foreach (var order in batch.Orders) Orders[order.Id] = order;
            foreach (var ticket in batch.Tickets) Tickets[ticket.Id] = ticket;
            foreach (var response in batch.Responses) Responses[response.Id] = response;
        }

        public void Remove(GrowthDataBatch batch)
        {
            // A replaced version is exactly the one held until then.
            foreach (var order in batch.Orders) Assert.Equal(order, Orders.Remove(order.Id, out var held) ? held : null);
            foreach (var ticket in batch.Tickets) Assert.Equal(ticket, Tickets.Remove(ticket.Id, out var held) ? held : null);
            foreach (var response in batch.Responses) Assert.Equal(response, Responses.Remove(response.Id, out var held) ? held : null);
        }
    }
}
