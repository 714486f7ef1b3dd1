using GrowthBot.Core.Conversations;
using NpgsqlTypes;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Channel send slots on PostgreSQL (table <c>channel_paces</c>), shared by every host: a reservation is
/// one upsert that moves the channel's next slot on and returns the one taken, so two hosts posting to
/// a channel at once get slots an interval apart. Channel ids are unique per platform (Slack's across
/// workspaces), so platform and channel are the key.
/// </summary>
public sealed class PostgresChannelPaceStore(PostgresDatabase database) : IChannelPaceStore
{
    /// <inheritdoc />
    public DateTimeOffset Reserve(ChatPlatform platform, string channel, DateTimeOffset notBefore, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return database.Run(connection =>
        {
            // The row's lock orders two hosts' reservations; each takes the later of "now" and the slot left for it.
            using var command = Sql.Command(connection, """
                INSERT INTO channel_paces AS pace (platform, channel, next_slot) VALUES (@platform, @channel, @not_before + @interval)
                ON CONFLICT (platform, channel) DO UPDATE SET next_slot = GREATEST(pace.next_slot, @not_before) + @interval
                RETURNING next_slot - @interval
                """)
                .With("platform", platform.ToString()).With("channel", channel).With("not_before", Sql.Utc(notBefore));
            command.Parameters.Add(new Npgsql.NpgsqlParameter("interval", NpgsqlDbType.Interval) { Value = interval });
            using var reader = command.ExecuteReader();
            reader.Read();
            return reader.Moment(0);
        });
    }
}
