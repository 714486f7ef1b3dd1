using System.Globalization;
using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;

namespace GrowthBot.Bench.Alerts;

/// <summary>The bench's settings: <c>--customers</c>, <c>--months</c>, <c>--alerts</c>, <c>--changes</c>.</summary>
// SpreadChanges (--spread): one change a minute, on a stepped clock, instead of all within the same
// minute or two, so that no check can reuse the revenue reading of an earlier check in its minute.
internal sealed record AlertBenchOptions(int Customers, int Months, int Alerts, int Changes, bool SpreadChanges)
{
    public static AlertBenchOptions Parse(string[] args)
    {
        int Read(string name, int fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
        }
        return new AlertBenchOptions(Read("--customers", 20_000), Read("--months", 24), Read("--alerts", 1000), Read("--changes", 200), args.Contains("--spread"));
    }
}

/// <summary>
/// A thousand alerts as a company might set them: every metric, every kind of condition, a fifth by
/// segment or channel, a fifth over a named period, thresholds spread so that a few hold.
/// </summary>
internal static class BenchAlerts
{
    private static readonly string[] Periods = ["this month", "last 30 days", "this quarter"];

    public static IEnumerable<Alert> Make(int count, DateTimeOffset now)
    {
        var metrics = MetricCatalog.All;
        for (var i = 0; i < count; i++)
        {
            var metric = metrics[i % metrics.Count];
            var condition = (AlertCondition)(i / metrics.Count % 5);
            var by = i % 5 == 3 ? (metric.Id is MetricId.Cac or MetricId.LtvCac ? Breakdown.Channel : Breakdown.Segment) : i % 5 == 4 ? Breakdown.Channel : Breakdown.None;
            decimal? threshold = condition switch
            {
                AlertCondition.Above => Spread(metric, i),
                AlertCondition.Below => Spread(metric, i),
                AlertCondition.Drops or AlertCondition.Rises => 1 + (i % 10),
                _ => null,
            };
            yield return new Alert(
                new AlertRule($"b{i:D5}", metric.Id, condition, threshold, i % 7 == 0 ? ChangeUnit.Percent : ChangeUnit.Points, by,
                    i % 5 == 2 ? Periods[i % Periods.Length] : null, ChatPlatform.Slack, $"C{i % 40:D6}", null, "U0BENCH", "Bench", now.AddDays(-1).AddSeconds(i)),
                AlertState.Armed);
        }
    }

    private static decimal Spread(MetricDefinition metric, int i) => metric.Unit switch
    {
        MetricUnit.NpsScore => -50 + (i % 100),
        MetricUnit.MeanScore => 1 + (i % 6),
        MetricUnit.Percent => i % 50,
        MetricUnit.Ratio => i % 5,
        _ => (i % 10) * 1000,
    };
}

/// <summary>A platform that takes every post and update at once and counts them.</summary>
internal sealed class CountingSender : IChatSender
{
    private int _sent;
    private int _updated;

    public int Sent => _sent;

    public int Updated => _updated;

    public ChatPlatform Platform => ChatPlatform.Slack;

    public Task<PostedMessage> SendAsync(ChatAddress address, ChatMessage message, CancellationToken cancellationToken) =>
        Task.FromResult(new PostedMessage(address, $"{Interlocked.Increment(ref _sent)}.000100"));

    public Task<ChatAddress> OpenDirectAsync(string userId, string? workspace, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _updated);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A store that keeps nothing and calls every row new: the bench measures the alert check, not
/// the store's write (a million customers written to LiteDB first would take minutes and measure nothing here).
/// </summary>
internal sealed class PassThroughStore : IGrowthStore
{
    public bool IsEmpty => false;

    public long Generation { get; private set; }

    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
    {
        Generation++;
        if (changes is not null)
        {
            changes.Changed.Customers.AddRange(batch.Customers);
            changes.Changed.Subscriptions.AddRange(batch.Subscriptions);
            changes.Changed.Orders.AddRange(batch.Orders);
            changes.Changed.Spend.AddRange(batch.Spend);
            changes.Changed.Tickets.AddRange(batch.Tickets);
            changes.Changed.Responses.AddRange(batch.Responses);
        }
        return new StoreWriteResult(batch.Count, 0, 0);
    }

    public void ReadAll(IGrowthDataSink sink) => throw new NotSupportedException();
}

/// <summary>No digest subscriptions: every alert posts where it was set.</summary>
internal sealed class NoSubscriptions : ISubscriptionStore
{
    public IReadOnlyList<DigestSubscription> All() => [];

    public DigestSubscription? Find(string id) => null;

    public IReadOnlyList<DigestSubscription> ForConversation(ChatPlatform platform, string conversationId) => [];

    public void Save(DigestSubscription subscription) => throw new NotSupportedException();

    public bool Remove(string id) => false;

    public IReadOnlyDictionary<MetricId, decimal> Targets() => new Dictionary<MetricId, decimal>();

    public void SetTarget(MetricId metric, decimal? value) => throw new NotSupportedException();

    public DeliveryRecord? Delivery(string subscriptionId, string periodKey) => null;

    public DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now) => throw new NotSupportedException();

    public void Complete(string subscriptionId, string periodKey, DeliveryState state, DateTimeOffset now, string? messageId = null, string? problem = null) => throw new NotSupportedException();
}

/// <summary>
/// The engine as the alert check sees it, counting the questions asked of it: the bench shows that
/// a write (a survey press's request path) asks none; every question comes from the background check.
/// </summary>
internal sealed class CountingEngine(IMetricEngine inner) : IMetricEngine
{
    private long _answers;

    public long Answers => Interlocked.Read(ref _answers);

    public EngineStatistics Statistics => inner.Statistics;

    public MetricAnswer Answer(MetricQuery query)
    {
        Interlocked.Increment(ref _answers);
        return inner.Answer(query);
    }

    public IReadOnlyList<MetricAnswer?> AnswerAll(IReadOnlyList<MetricQuery> queries)
    {
        Interlocked.Add(ref _answers, queries.Count);
        return inner.AnswerAll(queries);
    }

    public long? DataVersion(DataSource source) => inner.DataVersion(source);

    public void Apply(GrowthDataBatch batch) => inner.Apply(batch);

    public void Apply(GrowthDataBatch changed, GrowthDataBatch? replaced) => inner.Apply(changed, replaced);

    public DateTime? LastDataAt(DataSource source) => inner.LastDataAt(source);
}

/// <summary>The wall clock, moved on by hand: the bench's --spread steps it a minute and a second per change.</summary>
internal sealed class SteppedTime(TimeProvider wall) : TimeProvider
{
    private TimeSpan _ahead;

    public override DateTimeOffset GetUtcNow() => wall.GetUtcNow() + _ahead;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => _ahead += by;
}
