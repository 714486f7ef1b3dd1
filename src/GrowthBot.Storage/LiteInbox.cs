using GrowthBot.Core.Conversations;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// The inbox in its own LiteDB file beside the store (<see cref="LiteGrowthStore.InboxPath"/>), so
/// that an acknowledgement never waits for the billing writer's checkpoints of the store's file:
/// one document per delivery, keyed by platform and delivery id, so recording a retry fails on the
/// key and is recognised.
/// Answered deliveries are kept for <see cref="Retention"/> (far longer than Slack or Teams go on
/// retrying) and then pruned, every <see cref="PruneEvery"/> accepted messages, so the file does
/// not grow with every message ever received.
/// </summary>
public sealed class LiteInbox : IInbox
{
    internal const string CollectionName = "inbox";
    internal const int PruneEvery = 1024;
    internal static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private readonly ILiteCollection<BsonDocument> _collection;
    private int _acceptedSincePrune;

    // This run: messages it accepted carry it, so the start's claim leaves them to the queue they are already in.
    private readonly string _owner = Guid.NewGuid().ToString("N");

    public LiteInbox(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _collection = store.InboxDatabase.GetCollection(CollectionName);
        _collection.EnsureIndex("done");
    }

    public bool TryAccept(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var document = ToDocument(message);
        document["owner"] = _owner;
        if (!_collection.TryInsert(document)) return false;
        if (Interlocked.Increment(ref _acceptedSincePrune) % PruneEvery == 0) Prune(message.ReceivedAt - Retention);
        return true;
    }

    public void Complete(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var document = _collection.FindById(KeyOf(message.Platform, message.DeliveryId));
        if (document is null) return;
        document["done"] = true;
        _collection.Update(document);
    }

    /// <summary>Deletes answered deliveries received before <paramref name="before"/>; unanswered ones are never deleted.</summary>
    internal int Prune(DateTimeOffset before) =>
        _collection.DeleteMany(Query.And(Query.EQ("done", true), Query.LT("received", before.UtcDateTime)));

    public IReadOnlyList<IncomingMessage> Pending() =>
        _collection.Find(Query.EQ("done", false)).Select(FromDocument).OrderBy(message => message.ReceivedAt).ToList();

    /// <summary>
    /// Every unanswered message this inbox did not accept itself, now claimed by it: the file has one
    /// process at a time (its lock), so they were left by an earlier run, whatever the lease. Messages
    /// accepted by this run are already queued by whoever accepted them and are not handed out twice.
    /// </summary>
    public IReadOnlyList<IncomingMessage> ClaimUnanswered(DateTimeOffset now, TimeSpan lease, int max)
    {
        var left = _collection.Find(Query.And(Query.EQ("done", false), Query.Not("owner", _owner)))
            .OrderBy(document => document["received"].AsDateTime).Take(max).ToList();
        foreach (var document in left)
        {
            document["owner"] = _owner;
            _collection.Update(document);
        }
        return left.Select(FromDocument).ToList();
    }

    private static string KeyOf(ChatPlatform platform, string deliveryId) => $"{platform}:{deliveryId}".ToLowerInvariant();

    private static BsonDocument ToDocument(IncomingMessage message)
    {
        var document = MessageDocument(message);
        if (message.Press is { } press)
        {
            // The press itself, so it is answered as a press if it is still pending after a restart.
            document["press"] = new BsonDocument
            {
                ["action"] = press.ActionId,
                ["value"] = press.Value,
                ["inputs"] = press.Inputs is null ? BsonValue.Null : new BsonDocument(press.Inputs.ToDictionary(input => input.Key, input => new BsonValue(input.Value))),
            };
        }
        return document;
    }

    private static BsonDocument MessageDocument(IncomingMessage message) => new()
    {
        ["_id"] = KeyOf(message.Platform, message.DeliveryId),
        ["platform"] = message.Platform.ToString(),
        ["delivery"] = message.DeliveryId,
        ["conversation"] = message.ConversationId,
        ["thread"] = message.ThreadId is null ? BsonValue.Null : new BsonValue(message.ThreadId),
        ["user"] = message.From.UserId,
        ["organisation"] = message.From.OrganisationId is null ? BsonValue.Null : new BsonValue(message.From.OrganisationId),
        ["guest"] = message.From.IsGuest,
        ["name"] = message.From.DisplayName is null ? BsonValue.Null : new BsonValue(message.From.DisplayName),
        ["workspace"] = message.From.Workspace is null ? BsonValue.Null : new BsonValue(message.From.Workspace),
        ["enterprise"] = message.From.EnterpriseId is null ? BsonValue.Null : new BsonValue(message.From.EnterpriseId),
        ["locale"] = message.From.Locale is null ? BsonValue.Null : new BsonValue(message.From.Locale),
        ["text"] = message.Text,
        ["received"] = message.ReceivedAt.UtcDateTime,
        ["reply"] = message.ReplyAddress is null ? BsonValue.Null : new BsonValue(message.ReplyAddress),
        ["done"] = false,
    };

    private static IncomingMessage FromDocument(BsonDocument document)
    {
        var platform = Enum.Parse<ChatPlatform>(document["platform"].AsString);
        var message = new IncomingMessage(
            platform,
            document["delivery"].AsString,
            document["conversation"].AsString,
            NullableString(document["thread"]),
            new Requester(platform, document["user"].AsString, NullableString(document["organisation"]), document["guest"].AsBoolean, NullableString(document["name"]),
                Optional(document, "workspace"), Optional(document, "enterprise"), Optional(document, "locale")),
            document["text"].AsString,
            new DateTimeOffset(DateTime.SpecifyKind(document["received"].AsDateTime, DateTimeKind.Utc)),
            NullableString(document["reply"]));
        // Documents written before presses were kept have no "press": they read as messages, as they always did.
        if (!document.TryGetValue("press", out var press) || !press.IsDocument) return message;
        var inputs = press["inputs"].IsDocument
            ? press["inputs"].AsDocument.ToDictionary(input => input.Key, input => input.Value.AsString, StringComparer.Ordinal)
            : null;
        return message with
        {
            Press = new IncomingAction(platform, message.DeliveryId, message.ConversationId, message.ThreadId, message.From,
                press["action"].AsString, press["value"].AsString, message.ReceivedAt, inputs),
        };
    }

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;

    /// <summary>A field documents written before it existed do not have.</summary>
    private static string? Optional(BsonDocument document, string name) => document.TryGetValue(name, out var value) ? NullableString(value) : null;
}
