using GrowthBot.Core.Conversations;
using GrowthBot.Core.Questions;

namespace GrowthBot.Storage.Postgres;

/// <summary>Follow-up context on PostgreSQL: every host reads the question another host remembered.</summary>
public sealed class PostgresQuestionContextStore(PostgresDatabase database) : IQuestionContextStore
{
    /// <inheritdoc />
    public ParsedQuestion? Recall(ChatPlatform platform, string conversationId, string userId, DateTimeOffset now) => database.Run(connection =>
    {
        using var command = Sql.Command(connection, """
            SELECT question::text FROM question_contexts
            WHERE platform = @platform AND conversation_id = @conversation AND user_id = @user AND expires_at > @now
            """)
            .With("platform", platform.ToString()).With("conversation", conversationId).With("user", userId).With("now", Sql.Utc(now));
        return command.Single(reader => StoredJson.Read<ParsedQuestion>(reader.GetString(0)));
    });

    /// <inheritdoc />
    public void Remember(ChatPlatform platform, string conversationId, string userId, ParsedQuestion question, DateTimeOffset now, DateTimeOffset expires)
    {
        ArgumentNullException.ThrowIfNull(question);
        database.Run(connection =>
        {
            // The same round trip clears what has expired.
            using var command = Sql.Command(connection, """
                INSERT INTO question_contexts (platform, conversation_id, user_id, question, expires_at) VALUES (@platform, @conversation, @user, @question, @expires)
                ON CONFLICT (platform, conversation_id, user_id) DO UPDATE SET question = excluded.question, expires_at = excluded.expires_at;
                DELETE FROM question_contexts WHERE expires_at <= @now
                """)
                .With("platform", platform.ToString()).With("conversation", conversationId).With("user", userId)
                .WithJson("question", StoredJson.Write(question)).With("expires", Sql.Utc(expires)).With("now", Sql.Utc(now));
            command.ExecuteNonQuery();
        });
    }
}
