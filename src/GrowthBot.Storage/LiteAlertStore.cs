using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using System.Runtime.CompilerServices;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// Metric alerts (rule and state, one document each) in the same LiteDB file as everything else.
/// Ids are compared exactly: the document id is the alert id as generated (six lower-case hex characters).
/// A LiteDB file is open in one process only (it is locked exclusively), so every change to its
/// alerts passes through this class: the alerts are also kept in memory, one copy per database, as
/// read back after each write, and <see cref="All"/> (read at every check) reads no documents.
/// </summary>
public sealed class LiteAlertStore : IAlertStore
{
    internal const string AlertsCollection = "alerts";

    private static readonly ConditionalWeakTable<LiteGrowthStore, AlertCache> Caches = new();

    private readonly ILiteCollection<BsonDocument> _alerts;
    private readonly AlertCache _cache;

    public LiteAlertStore(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _alerts = store.Database.GetCollection(AlertsCollection);
        _cache = Caches.GetValue(store, _ => new AlertCache());
    }

    public IReadOnlyList<Alert> All()
    {
        lock (_cache.Gate)
        {
            return _cache.Sorted ??= [.. Loaded().Values.OrderBy(alert => alert.Rule.CreatedAt).ThenBy(alert => alert.Id, StringComparer.Ordinal)];
        }
    }

    public Alert? Find(string id)
    {
        lock (_cache.Gate)
        {
            return Loaded().GetValueOrDefault(id);
        }
    }

    public void Save(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_cache.Gate)
        {
            Write(alert, (Loaded().GetValueOrDefault(alert.Id)?.Version ?? 0) + 1);
        }
    }

    public bool TryReplace(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_cache.Gate)
        {
            if (Loaded().GetValueOrDefault(alert.Id) is not { } stored || stored.Version != alert.Version) return false;
            Write(alert, alert.Version + 1);
            return true;
        }
    }

    public IReadOnlyList<bool> TryReplaceAll(IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var replaced = new bool[alerts.Count];
        lock (_cache.Gate)
        {
            var stored = Loaded();
            var documents = new List<BsonDocument>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < alerts.Count; i++)
            {
                var alert = alerts[i];
                if (!stored.TryGetValue(alert.Id, out var current) || current.Version != alert.Version || !ids.Add(alert.Id)) continue;
                replaced[i] = true;
                documents.Add(ToDocument(alert with { Version = alert.Version + 1 }));
            }
            if (documents.Count == 0) return replaced;
            // One transaction (one journal write) for all of them.
            _alerts.Upsert(documents);
            foreach (var id in ids) stored[id] = ToAlert(_alerts.FindById(id));
            _cache.Sorted = null;
        }
        return replaced;
    }

    public bool Remove(string id)
    {
        lock (_cache.Gate)
        {
            if (!Loaded().ContainsKey(id) || !_alerts.Delete(id)) return false;
            _cache.ById!.Remove(id);
            _cache.Sorted = null;
            return true;
        }
    }

    /// <summary>The alerts by id, read from the file the first time. Callers hold the cache's lock.</summary>
    private Dictionary<string, Alert> Loaded()
    {
        if (_cache.ById is { } known) return known;
        var all = new Dictionary<string, Alert>(StringComparer.Ordinal);
        foreach (var document in _alerts.FindAll())
        {
            var alert = ToAlert(document);
            all[alert.Id] = alert;
        }
        return _cache.ById = all;
    }

    /// <summary>Writes the alert at <paramref name="version"/> and keeps what the file gives back (times to the millisecond). Callers hold the lock.</summary>
    private void Write(Alert alert, long version)
    {
        _alerts.Upsert(ToDocument(alert with { Version = version }));
        var stored = ToAlert(_alerts.FindById(alert.Id));
        _cache.ById![alert.Id] = stored;
        _cache.Sorted = null;
    }

    /// <summary>One database's alerts as stored, shared by every store object over it.</summary>
    private sealed class AlertCache
    {
        public Lock Gate { get; } = new();

        public Dictionary<string, Alert>? ById { get; set; }

        public IReadOnlyList<Alert>? Sorted { get; set; }
    }

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
                    ["refreshed"] = Nullable(post.RefreshedAt),
                }
                : BsonValue.Null,
            ["ack_by"] = Nullable(state.AcknowledgedBy),
            ["ack_by_name"] = Nullable(state.AcknowledgedByName),
            ["ack_at"] = Nullable(state.AcknowledgedAt),
            ["snoozed_until"] = Nullable(state.SnoozedUntil),
            ["snoozed_by_name"] = Nullable(state.SnoozedByName),
            ["checked"] = Nullable(state.LastCheckedAt),
            ["note"] = Nullable(state.LastNote),
            ["owed_by"] = Nullable(state.OwedBy),
            ["owed_until"] = Nullable(state.OwedUntil),
            ["version"] = alert.Version,
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
                Utc(post["at"])!.Value,
                Utc(post["refreshed"])),
            Text(document["ack_by"]),
            Text(document["ack_by_name"]),
            Utc(document["ack_at"]),
            Utc(document["snoozed_until"]),
            Text(document["snoozed_by_name"]),
            Utc(document["checked"]),
            Text(document["note"]),
            Text(document["owed_by"]),
            Utc(document["owed_until"]));
        // Alerts saved before versions were kept read as version 0.
        return new Alert(rule, state) { Version = document["version"].IsNumber ? document["version"].AsInt64 : 0 };
    }

    private static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static BsonValue Nullable(decimal? value) => value is { } number ? new BsonValue(number) : BsonValue.Null;

    private static BsonValue Nullable(DateTimeOffset? value) => value is { } moment ? new BsonValue(moment.UtcDateTime) : BsonValue.Null;

    private static string? Text(BsonValue value) => value.IsString ? value.AsString : null;

    private static decimal? Decimal(BsonValue value) => value.IsNull ? null : value.AsDecimal;

    private static DateTimeOffset? Utc(BsonValue value) => value.IsDateTime ? new DateTimeOffset(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc)) : null;
}
