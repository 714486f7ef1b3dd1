using GrowthBot.Core.Conversations;

namespace GrowthBot.Storage.Postgres;

/// <summary>Known conversations on PostgreSQL, keyed by (platform, conversation id) exactly.</summary>
public sealed class PostgresConversationDirectory(PostgresDatabase database) : IConversationDirectory
{
    /// <inheritdoc />
    public void Remember(KnownConversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        database.Run(connection =>
        {
            using var command = Sql.Command(connection, """
                INSERT INTO conversations (platform, conversation_id, personal_user, seen_at, conversation)
                VALUES (@platform, @id, @personal, @seen, @conversation)
                ON CONFLICT (platform, conversation_id) DO UPDATE SET personal_user = excluded.personal_user,
                    seen_at = excluded.seen_at, conversation = excluded.conversation
                """)
                .With("platform", conversation.Platform.ToString())
                .With("id", conversation.ConversationId)
                // Only personal chats are found by user: a channel's "user" (who added the bot) is not their DM.
                .With("personal", conversation.Kind == ConversationKind.Personal ? conversation.UserId : null)
                .With("seen", Sql.Utc(conversation.SeenAt))
                .WithJson("conversation", StoredJson.Write(conversation));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc />
    public void Forget(ChatPlatform platform, string conversationId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "DELETE FROM conversations WHERE platform = @platform AND conversation_id = @id")
            .With("platform", platform.ToString()).With("id", conversationId);
        command.ExecuteNonQuery();
    });

    /// <inheritdoc />
    public KnownConversation? Find(ChatPlatform platform, string conversationId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT conversation::text FROM conversations WHERE platform = @platform AND conversation_id = @id")
            .With("platform", platform.ToString()).With("id", conversationId);
        return command.Single(reader => StoredJson.Read<KnownConversation>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public KnownConversation? FindPersonal(ChatPlatform platform, string userId) => database.Run(connection =>
    {
        using var command = Sql.Command(connection,
            "SELECT conversation::text FROM conversations WHERE platform = @platform AND personal_user = @user ORDER BY seen_at DESC LIMIT 1")
            .With("platform", platform.ToString()).With("user", userId);
        return command.Single(reader => StoredJson.Read<KnownConversation>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public IReadOnlyList<KnownConversation> All(ChatPlatform platform) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, "SELECT conversation::text FROM conversations WHERE platform = @platform")
            .With("platform", platform.ToString());
        return command.List(reader => StoredJson.Read<KnownConversation>(reader.GetString(0)))
            .OrderBy(conversation => conversation.ConversationId, StringComparer.Ordinal).ToList();
    });
}
