using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Digest subscriptions, targets and the delivery log in the same LiteDB file as everything else.
/// The store is this process's alone (the exclusive file lock), so a claim is atomic under one
/// in-process lock: read the log line and write the claim with nobody else in between.
/// </summary>
public sealed class LiteDigestStore : ISubscriptionStore
{
    internal const string SubscriptionsCollection = "digest_subscriptions";
    internal const string TargetsCollection = "digest_targets";
    internal const string DeliveriesCollection = "digest_deliveries";

    private readonly ILiteCollection<BsonDocument> _subscriptions;
    private readonly ILiteCollection<BsonDocument> _targets;
    private readonly ILiteCollection<BsonDocument> _deliveries;
    private readonly Lock _gate = new();

    public LiteDigestStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _subscriptions = store.Database.GetCollection(SubscriptionsCollection);
        _targets = store.Database.GetCollection(TargetsCollection);
        _deliveries = store.Database.GetCollection(DeliveriesCollection);
        _subscriptions.EnsureIndex("conversation");
    }

    public IReadOnlyList<DigestSubscription> All() => _subscriptions.FindAll().Select(ToSubscription).OrderBy(subscription => subscription.SubscribedAt).ToList();

    public DigestSubscription? Find(string id) => _subscriptions.FindById(id) is { } document ? ToSubscription(document) : null;

    public IReadOnlyList<DigestSubscription> ForConversation(ChatPlatform platform, string conversationId) =>
        _subscriptions.Find(Query.EQ("conversation", ConversationKey(platform, conversationId))).Select(ToSubscription).OrderBy(subscription => subscription.SubscribedAt).ToList();

    public void Save(DigestSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        _subscriptions.Upsert(ToDocument(subscription));
    }

    public bool Remove(string id) => _subscriptions.Delete(id);

    public IReadOnlyDictionary<MetricId, decimal> Targets() =>
        _targets.FindAll().ToDictionary(document => Enum.Parse<MetricId>(document["_id"].AsString), document => document["value"].AsDecimal);

    public void SetTarget(MetricId metric, decimal? value)
    {
        if (value is { } target) _targets.Upsert(new BsonDocument { ["_id"] = metric.ToString(), ["value"] = target });
        else _targets.Delete(metric.ToString());
    }

    /// <summary>The whole delivery log (for <c>growthbot migrate</c>, so a copied store does not send a period again).</summary>
    public IReadOnlyList<DeliveryRecord> Deliveries() => _deliveries.FindAll().Select(ToDelivery).ToList();

    public DeliveryRecord? Delivery(string subscriptionId, string periodKey) =>
        _deliveries.FindById(DeliveryKey(subscriptionId, periodKey)) is { } document ? ToDelivery(document) : null;

    public DeliveryClaim TryClaim(string subscriptionId, string periodKey, string owner, DateTimeOffset now)
    {
        lock (_gate)
        {
            var previous = Delivery(subscriptionId, periodKey);
            var granted = previous is null
                || previous.State == DeliveryState.Failed
                || (previous.State == DeliveryState.Sending && previous.Owner != owner);
            if (!granted) return new DeliveryClaim(false, previous!, previous);
            var claim = new DeliveryRecord(subscriptionId, periodKey, DeliveryState.Sending, owner, (previous?.Attempts ?? 0) + 1, now);
            _deliveries.Upsert(ToDocument(claim));
            return new DeliveryClaim(true, claim, previous);
        }
    }

    public void Complete(string subscriptionId, string periodKey, DeliveryState state, DateTimeOffset now, string? messageId = null, string? problem = null)
    {
        lock (_gate)
        {
            var current = Delivery(subscriptionId, periodKey)
                ?? new DeliveryRecord(subscriptionId, periodKey, state, string.Empty, 1, now);
            _deliveries.Upsert(ToDocument(current with { State = state, UpdatedAt = now, MessageId = messageId, Error = problem }));
        }
    }

    private static string ConversationKey(ChatPlatform platform, string conversationId) => $"{platform}:{conversationId}";

    private static string DeliveryKey(string subscriptionId, string periodKey) => $"{subscriptionId}:{periodKey}";

    private static BsonDocument ToDocument(DigestSubscription subscription) => new()
    {
        ["_id"] = subscription.Id,
        ["platform"] = subscription.Platform.ToString(),
        ["conversationId"] = subscription.ConversationId,
        ["conversation"] = ConversationKey(subscription.Platform, subscription.ConversationId),
        ["team"] = subscription.Team is { } team ? new BsonValue(team.ToString()) : BsonValue.Null,
        ["metrics"] = new BsonArray(subscription.Metrics.Select(metric => new BsonValue(metric.ToString()))),
        ["days"] = (int)subscription.Schedule.Days,
        ["at"] = subscription.Schedule.At.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        ["zone"] = subscription.TimeZone,
        ["by"] = subscription.SubscribedBy,
        ["since"] = subscription.SubscribedAt.UtcDateTime,
        ["paused"] = subscription.PausedReason is { } reason ? new BsonValue(reason) : BsonValue.Null,
        ["by_name"] = subscription.SubscribedByName is { } name ? new BsonValue(name) : BsonValue.Null,
        ["workspace"] = subscription.Workspace is { } workspace ? new BsonValue(workspace) : BsonValue.Null,
        ["locale"] = subscription.Locale is { } locale ? new BsonValue(locale) : BsonValue.Null,
    };

    private static DigestSubscription ToSubscription(BsonDocument document) => new(
        document["_id"].AsString,
        Enum.Parse<ChatPlatform>(document["platform"].AsString),
        document["conversationId"].AsString,
        document["team"].IsNull ? null : Enum.Parse<Team>(document["team"].AsString),
        document["metrics"].AsArray.Select(value => Enum.Parse<MetricId>(value.AsString)).ToList(),
        new DigestSchedule((ScheduleDays)document["days"].AsInt32, TimeOnly.ParseExact(document["at"].AsString, "HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
        document["zone"].AsString,
        document["by"].AsString,
        Utc(document["since"]),
        document["paused"].IsNull ? null : document["paused"].AsString,
        // Subscriptions saved before names were kept have none.
        document.TryGetValue("by_name", out var name) && name.IsString ? name.AsString : null,
        // Subscriptions saved before installations were kept have no workspace: they use the single configured token.
        document.TryGetValue("workspace", out var workspace) && !workspace.IsNull ? workspace.AsString : null,
        // Subscriptions saved before locales were kept have none: their digests keep GrowthBot's own style.
        document.TryGetValue("locale", out var locale) && locale.IsString ? locale.AsString : null);

    private static BsonDocument ToDocument(DeliveryRecord record) => new()
    {
        ["_id"] = DeliveryKey(record.SubscriptionId, record.PeriodKey),
        ["subscription"] = record.SubscriptionId,
        ["period"] = record.PeriodKey,
        ["state"] = record.State.ToString(),
        ["owner"] = record.Owner,
        ["attempts"] = record.Attempts,
        ["updated"] = record.UpdatedAt.UtcDateTime,
        ["message"] = record.MessageId is { } id ? new BsonValue(id) : BsonValue.Null,
        ["error"] = record.Error is { } error ? new BsonValue(error) : BsonValue.Null,
    };

    private static DeliveryRecord ToDelivery(BsonDocument document) => new(
        document["subscription"].AsString,
        document["period"].AsString,
        Enum.Parse<DeliveryState>(document["state"].AsString),
        document["owner"].AsString,
        document["attempts"].AsInt32,
        Utc(document["updated"]),
        document["message"].IsNull ? null : document["message"].AsString,
        document["error"].IsNull ? null : document["error"].AsString);

    private static DateTimeOffset Utc(BsonValue value) => new(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));
}
