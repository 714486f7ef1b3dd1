using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics.Index;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Metrics;

public sealed partial class MetricEngine
{
    /// <summary>
    /// The sink of <see cref="Load"/>. Building the revenue index (sorting the whole subscriptions
    /// log) took about a fifth of a cold start's CPU, after the last row was read. A store that
    /// sends customers and subscriptions before the other rows (LiteDB's does) lets it start
    /// earlier: at the first order, spend, ticket or response row the index is built on another
    /// thread, from the log and a copy of the customers' segments and channels, while the
    /// remaining rows are read and indexed. Those rows touch neither. If a customer or
    /// subscription row comes after all (the port promises no order), it waits for that build,
    /// which is then discarded, and the index is built after the last row, as before.
    /// </summary>
    private sealed class LoadingIngest(MetricEngine engine) : IGrowthDataSink
    {
        private readonly Ingest _ingest = new(engine);
        private Task<RevenueIndex>? _build;
        private bool _discarded;

        public void Add(Customer customer)
        {
            Discard();
            _ingest.Add(customer);
        }

        public void Add(SubscriptionChange change)
        {
            Discard();
            _ingest.Add(change);
        }

        public void Add(Order order)
        {
            StartBuild();
            _ingest.Add(order);
        }

        public void Add(SpendEntry spend)
        {
            StartBuild();
            _ingest.Add(spend);
        }

        public void Add(Ticket ticket)
        {
            StartBuild();
            _ingest.Add(ticket);
        }

        public void Add(SurveyResponse response)
        {
            StartBuild();
            _ingest.Add(response);
        }

        /// <summary>The index built during the read, or null if there was none or rows came after it started that change it.</summary>
        public RevenueIndex? Finish()
        {
            if (_build is null) return null;
            var built = _build.GetAwaiter().GetResult();
            return _discarded ? null : built;
        }

        /// <summary>The read failed: let a build still running end before the log it works on can be touched again.</summary>
        public void Abandon()
        {
            if (_build is null) return;
            try
            {
                _build.Wait();
            }
            catch (AggregateException)
            {
                // The read's own failure is the one to report.
            }
        }

        private void StartBuild()
        {
            if (_build is not null || _discarded || engine._subscriptions.Count == 0) return;
            var log = engine._subscriptions;
            var keys = engine._directory.CopyCellKeys();
            _build = Task.Run(() => RevenueIndexBuilder.Build(log, keys));
        }

        private void Discard()
        {
            if (_build is null || _discarded) return;
            // The builder compacts the log in place: wait for it before a row is added to the log or the directory changes.
            _build.GetAwaiter().GetResult();
            _discarded = true;
        }
    }
}
