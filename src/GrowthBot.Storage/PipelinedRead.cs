using System.Collections.Concurrent;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Storage;

/// <summary>
/// Reads the store on a background thread while the caller's sink takes the rows on the calling
/// thread, in chunks. A cold start spent about 60% of its time in LiteDB (reading and mapping
/// documents) and the rest in the engine, one after the other; on two cores they now overlap.
/// The sink is still called from one thread only, as the port promises. The queue is bounded, so
/// at most about 16,000 rows wait between the two: rows that wait long enough to outlive a gen0
/// collection are copied into gen1, and with 260,000 in flight (32 chunks of 8,192) that copying
/// cost about a tenth of the load's CPU time. Handing over LiteDB's documents instead of rows, to
/// map them on the caller's thread, was tried and is worse still (a document is a much larger
/// object graph than its row, so even more is promoted).
/// </summary>
internal static class PipelinedRead
{
    private const int ChunkRows = 1024;
    private const int ChunksInFlight = 16;

    public static void Run(Action<IGrowthDataSink> read, IGrowthDataSink sink)
    {
        using var cancel = new CancellationTokenSource();
        using var chunks = new BlockingCollection<GrowthDataBatch>(ChunksInFlight);
        var producer = Task.Run(() =>
        {
            try
            {
                var chunking = new ChunkingSink(chunks, cancel.Token);
                read(chunking);
                chunking.Flush();
            }
            finally
            {
                chunks.CompleteAdding();
            }
        });
        try
        {
            foreach (var chunk in chunks.GetConsumingEnumerable()) Feed(chunk, sink);
        }
        catch
        {
            // The sink failed: stop the reader (it may be waiting for room) before the store can be closed.
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
        // The reader's own failure (a damaged file), after every row it read was delivered.
        producer.GetAwaiter().GetResult();
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
