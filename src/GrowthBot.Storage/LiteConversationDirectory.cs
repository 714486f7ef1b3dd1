using GrowthBot.Core.Conversations;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// The conversations the bot was installed in or spoke in, in the same LiteDB file as everything
/// else: one document per conversation keyed by platform and conversation id, indexed by the
/// platform-and-user of personal chats so a 1:1 conversation is found without a scan.
/// </summary>
public sealed class LiteConversationDirectory : IConversationDirectory
{
    internal const string CollectionName = "conversations";
    private readonly ILiteCollection<BsonDocument> _collection;

    public LiteConversationDirectory(LiteGrowthStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _collection = store.Database.GetCollection(CollectionName);
        _collection.EnsureIndex("personal");
        _collection.EnsureIndex("platform");
    }

    public void Remember(KnownConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        _collection.Upsert(ToDocument(conversation));
    }

    public void Forget(ChatPlatform platform, string conversationId) => _collection.Delete(KeyOf(platform, conversationId));

    public KnownConversation? Find(ChatPlatform platform, string conversationId)
    {
        var document = _collection.FindById(KeyOf(platform, conversationId));
        return document is null ? null : FromDocument(document);
    }

    public KnownConversation? FindPersonal(ChatPlatform platform, string userId) =>
        _collection.Find(Query.EQ("personal", PersonalKeyOf(platform, userId)))
            .Select(FromDocument)
            .OrderByDescending(conversation => conversation.SeenAt)
            .FirstOrDefault();

    public IReadOnlyList<KnownConversation> All(ChatPlatform platform) =>
        _collection.Find(Query.EQ("platform", platform.ToString())).Select(FromDocument).OrderBy(conversation => conversation.ConversationId, StringComparer.Ordinal).ToList();

    private static string KeyOf(ChatPlatform platform, string conversationId) => $"{platform}:{CaseSafe(conversationId)}";

    private static string PersonalKeyOf(ChatPlatform platform, string userId) => $"{platform}:{CaseSafe(userId)}";

    /// <summary>
    /// LiteDB compares strings ignoring case, but Teams ids are case-sensitive ("a:1AbC" and "a:1abc"
    /// are different chats), so upper-case letters are spelled "^x" in keys ("^" itself as "^^").
    /// </summary>
    internal static string CaseSafe(string id)
    {
        var builder = new System.Text.StringBuilder(id.Length + 8);
        foreach (var character in id)
        {
            if (character == '^') builder.Append("^^");
            else if (char.IsUpper(character)) builder.Append('^').Append(char.ToLowerInvariant(character));
            else builder.Append(character);
        }
        return builder.ToString();
    }

    private static BsonDocument ToDocument(KnownConversation conversation) => new()
    {
        ["_id"] = KeyOf(conversation.Platform, conversation.ConversationId),
        ["platform"] = conversation.Platform.ToString(),
        ["conversation"] = conversation.ConversationId,
        ["kind"] = conversation.Kind.ToString(),
        ["organisation"] = Nullable(conversation.OrganisationId),
        ["team"] = Nullable(conversation.TeamId),
        ["name"] = Nullable(conversation.Name),
        ["user"] = Nullable(conversation.UserId),
        // Only personal chats are indexed by user: a channel's "user" (who added the bot) must not be found as their DM.
        ["personal"] = conversation.Kind == ConversationKind.Personal && conversation.UserId is not null
            ? new BsonValue(PersonalKeyOf(conversation.Platform, conversation.UserId))
            : BsonValue.Null,
        ["route"] = Nullable(conversation.Route),
        ["seen"] = conversation.SeenAt.UtcDateTime,
    };

    private static KnownConversation FromDocument(BsonDocument document) => new(
        Enum.Parse<ChatPlatform>(document["platform"].AsString),
        document["conversation"].AsString,
        Enum.Parse<ConversationKind>(document["kind"].AsString),
        NullableString(document["organisation"]),
        NullableString(document["team"]),
        NullableString(document["name"]),
        NullableString(document["user"]),
        NullableString(document["route"]),
        new DateTimeOffset(DateTime.SpecifyKind(document["seen"].AsDateTime, DateTimeKind.Utc)));

    private static BsonValue Nullable(string? value) => value is null ? BsonValue.Null : new BsonValue(value);

    private static string? NullableString(BsonValue value) => value.IsNull ? null : value.AsString;
}
