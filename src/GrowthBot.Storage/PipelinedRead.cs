using System.Collections.Concurrent;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>One collection of a full read, and how its documents become rows.</summary>
internal sealed record ReadStep(string Collection, Action<BsonDocument, IGrowthDataSink> Map);

/// <summary>
/// Reads the store on background threads while the caller's sink takes the rows on the calling
/// thread, in chunks. A cold start spent most of its time in LiteDB (reading and mapping
/// documents) and the rest in the engine; reading and indexing overlap, and each collection is
/// read by two threads from both ends of its index (<see cref="MeetingScan"/>), so on two cores
/// the reading is no longer the one thread everything waits for. The sink is still called from
/// one thread only, as the port promises, and every row of a collection reaches it before any
/// row of the next one (customers and subscriptions first: the engine starts its revenue index
/// at the first other row). The queue is bounded, so at most about 16,000 rows wait between the
/// threads: rows that wait long enough to outlive a gen0 collection are copied into gen1, and
/// with 260,000 in flight (32 chunks of 8,192) that copying cost about a tenth of the load's CPU
/// time. Handing over LiteDB's documents instead of rows, to map them on the caller's thread,
/// was tried and is worse still (a document is a much larger object graph than its row, so even
/// more is promoted).
/// </summary>
internal static class PipelinedRead
{
    private const int ChunkRows = 1024;
    private const int ChunksInFlight = 16;

    public static void Run(LiteDatabase database, IReadOnlyList<ReadStep> steps, IGrowthDataSink sink)
    {
        using var cancel = new CancellationTokenSource();
        using var chunks = new BlockingCollection<GrowthDataBatch>(ChunksInFlight);
        // Threads of their own: at a host's start the pool has about one thread per core, and other services want them too.
        var producer = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    ReadFromBothEnds(database, steps, chunks, cancel.Token);
                }
                finally
                {
                    chunks.CompleteAdding();
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var chunk in chunks.GetConsumingEnumerable()) Feed(chunk, sink);
        }
        catch
        {
            // The sink failed: stop the readers (they may be waiting for room) before the store can be closed.
            cancel.Cancel();
            try
            {
                producer.Wait();
            }
            catch (AggregateException)
            {
                // Cancelled, or failed after the sink did: the sink's failure is the one to report.
            }
            throw;
        }
        // The readers' own failure (a damaged file), after every row they read was delivered.
        producer.GetAwaiter().GetResult();
    }

    /// <summary>Each collection in turn, its two halves at once; both halves' rows are queued before the next collection starts.</summary>
    private static void ReadFromBothEnds(LiteDatabase database, IReadOnlyList<ReadStep> steps, BlockingCollection<GrowthDataBatch> chunks, CancellationToken cancel)
    {
        var up = new ChunkingSink(chunks, cancel);
        var down = new ChunkingSink(chunks, cancel);
        foreach (var step in steps)
        {
            var collection = database.GetCollection(step.Collection);
            var scan = new MeetingScan(database.Collation);
            var descending = Task.Factory.StartNew(
                () =>
                {
                    foreach (var document in scan.Half(collection, ascending: false)) step.Map(document, down);
                },
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            try
            {
                foreach (var document in scan.Half(collection, ascending: true)) step.Map(document, up);
            }
            catch
            {
                // This half failed: the other must end before the store can be closed; this failure is the one to report.
                try
                {
                    descending.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                }
                throw;
            }
            descending.GetAwaiter().GetResult();
            up.Flush();
            down.Flush();
        }
    }

    private static void Feed(GrowthDataBatch chunk, IGrowthDataSink sink)
    {
        foreach (var customer in chunk.Customers) sink.Add(customer);
        foreach (var change in chunk.Subscriptions) sink.Add(change);
        foreach (var order in chunk.Orders) sink.Add(order);
        foreach (var spend in chunk.Spend) sink.Add(spend);
        foreach (var ticket in chunk.Tickets) sink.Add(ticket);
        foreach (var response in chunk.Responses) sink.Add(response);
    }

    private sealed class ChunkingSink(BlockingCollection<GrowthDataBatch> chunks, CancellationToken cancel) : IGrowthDataSink
    {
        private GrowthDataBatch _chunk = new();

        public void Add(Customer customer) => Step(_chunk.Customers, customer);

        public void Add(SubscriptionChange change) => Step(_chunk.Subscriptions, change);

        public void Add(Order order) => Step(_chunk.Orders, order);

        public void Add(SpendEntry spend) => Step(_chunk.Spend, spend);

        public void Add(Ticket ticket) => Step(_chunk.Tickets, ticket);

        public void Add(SurveyResponse response) => Step(_chunk.Responses, response);

        public void Flush()
        {
            if (_chunk.Count > 0) chunks.Add(_chunk, cancel);
            _chunk = new GrowthDataBatch();
        }

        private void Step<T>(List<T> rows, T row)
        {
            rows.Add(row);
            if (rows.Count >= ChunkRows) Flush();
        }
    }
}
