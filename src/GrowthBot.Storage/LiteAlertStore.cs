using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Metric alerts (rule and state, one document each) in the same LiteDB file as everything else.
/// Ids are compared exactly: the document id is the alert id as generated (six lower-case hex characters).
/// </summary>
public sealed class LiteAlertStore : IAlertStore
{
    internal const string AlertsCollection = "alerts";

    private readonly ILiteCollection<BsonDocument> _alerts;

    public LiteAlertStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _alerts = store.Database.GetCollection(AlertsCollection);
    }

    public IReadOnlyList<Alert> All() => _alerts.FindAll().Select(ToAlert).OrderBy(alert => alert.Rule.CreatedAt).ThenBy(alert => alert.Id, StringComparer.Ordinal).ToList();

    public Alert? Find(string id) =>
        _alerts.FindById(id) is { } document && document["_id"].AsString == id ? ToAlert(document) : null;

    public void Save(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        _alerts.Upsert(ToDocument(alert));
    }

    public bool Remove(string id) => Find(id) is not null && _alerts.Delete(id);

    private static BsonDocument ToDocument(Alert alert)
    {
        var rule = alert.Rule;
        var state = alert.State;
        return new BsonDocument
        {
            ["_id"] = rule.Id,
            ["metric"] = rule.Metric.ToString(),
            ["condition"] = rule.Condition.ToString(),
            ["threshold"] = Nullable(rule.Threshold),
            ["unit"] = rule.Unit.ToString(),
            ["by"] = rule.By.ToString(),
            ["period"] = Nullable(rule.PeriodText),
            ["platform"] = rule.Platform.ToString(),
            ["conversation"] = rule.ConversationId,
            ["workspace"] = Nullable(rule.Workspace),
            ["created_by"] = rule.CreatedBy,
            ["created_by_name"] = Nullable(rule.CreatedByName),
            ["created"] = rule.CreatedAt.UtcDateTime,
            ["locale"] = Nullable(rule.Locale),
            ["firing"] = state.Firing,
            ["fired"] = Nullable(state.FiredAt),
            ["last_value"] = Nullable(state.LastValue),
            ["post"] = state.Post is { } post
                ? new BsonDocument
                {
                    ["platform"] = post.Platform.ToString(),
                    ["conversation"] = post.ConversationId,
                    ["workspace"] = Nullable(post.Workspace),
                    ["message"] = post.MessageId,
                    ["period"] = post.PeriodKey,
                    ["at"] = post.PostedAt.UtcDateTime,
                }
                : BsonValue.Null,
            ["ack_by"] = Nullable(state.AcknowledgedBy),
            ["ack_by_name"] = Nullable(state.AcknowledgedByName),
            ["ack_at"] = Nullable(state.AcknowledgedAt),
            ["snoozed_until"] = Nullable(state.SnoozedUntil),
            ["snoozed_by_name"] = Nullable(state.SnoozedByName),
            ["checked"] = Nullable(state.LastCheckedAt),
            ["note"] = Nullable(state.LastNote),
        };
    }

    private static Alert ToAlert(BsonDocument document)
    {
        var rule = new AlertRule(
            document["_id"].AsString,
            Enum.Parse<MetricId>(document["metric"].AsString),
            Enum.Parse<AlertCondition>(document["condition"].AsString),
            Decimal(document["threshold"]),
            Enum.Parse<ChangeUnit>(document["unit"].AsString),
            Enum.Parse<Breakdown>(document["by"].AsString),
            Text(document["period"]),
            Enum.Parse<ChatPlatform>(document["platform"].AsString),
            document["conversation"].AsString,
            Text(document["workspace"]),
            document["created_by"].AsString,
            Text(document["created_by_name"]),
            Utc(document["created"])!.Value,
            Text(document["locale"]));
        var post = document["post"].IsDocument ? document["post"].AsDocument : null;
        var state = new AlertState(
            document["firing"].AsBoolean,
            Utc(document["fired"]),
            Decimal(document["last_value"]),
            post is null ? null : new AlertPost(
                Enum.Parse<ChatPlatform>(post["platform"].AsString),
                post["conversation"].AsString,
                Text(post["workspace"]),
                post["message"].AsString,
                post["period"].AsString,
                Utc(post["at"])!.Value),
            Text(document["ack_by"]),
            Text(document["ack_by_name"]),
            Utc(document["ack_at"]),
            Utc(document["snoozed_until"]),
            Text(document["snoozed_by_name"]),
            Utc(document["checked"]),
            Text(document["note"]));
        return new Alert(rule, state);
    }

    private static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static BsonValue Nullable(decimal? value) => value is { } number ? new BsonValue(number) : BsonValue.Null;

    private static BsonValue Nullable(DateTimeOffset? value) => value is { } moment ? new BsonValue(moment.UtcDateTime) : BsonValue.Null;

    private static string? Text(BsonValue value) => value.IsString ? value.AsString : null;

    private static decimal? Decimal(BsonValue value) => value.IsNull ? null : value.AsDecimal;

    private static DateTimeOffset? Utc(BsonValue value) => value.IsDateTime ? new DateTimeOffset(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc)) : null;
}
