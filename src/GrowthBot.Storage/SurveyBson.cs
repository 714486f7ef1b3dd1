using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>Maps survey runs, invitations and recipients to and from LiteDB documents by hand (records are positional).</summary>
internal static class SurveyBson
{
    public static string PersonKey(ChatPlatform platform, string userId) => $"{platform.ToString().ToLowerInvariant()}:{userId}";

    public static BsonDocument From(SurveyRecipient recipient) => new()
    {
        ["_id"] = PersonKey(recipient.Platform, recipient.UserId),
        ["customer"] = recipient.CustomerId,
        ["platform"] = recipient.Platform.ToString(),
        ["user"] = recipient.UserId,
        ["workspace"] = Text(recipient.Workspace),
    };

    // Links written before workspaces were kept have none (null: the adapter decides, or says it cannot).
    public static SurveyRecipient ToRecipient(BsonDocument document) => new(
        document["customer"].AsString, Enum.Parse<ChatPlatform>(document["platform"].AsString), document["user"].AsString,
        document.TryGetValue("workspace", out var workspace) ? Text(workspace) : null);

    public static BsonDocument From(SurveyRun run) => new()
    {
        ["_id"] = run.Id,
        ["kind"] = run.Kind.ToString(),
        ["topic"] = Text(run.Topic),
        ["by"] = run.StartedBy,
        ["at"] = run.StartedAt.UtcDateTime,
        ["source"] = run.Source.ToString(),
        ["requested"] = run.Requested,
        ["fatigued"] = run.SkippedFatigue,
        ["unknown"] = new BsonArray(run.Unknown.Select(id => new BsonValue(id))),
        ["queued"] = run.Queued is { Count: > 0 } queued
            ? new BsonArray(queued.Select(recipient => new BsonArray(new BsonValue(recipient.CustomerId), new BsonValue(recipient.Platform.ToString()), new BsonValue(recipient.UserId), Text(recipient.Workspace))))
            : BsonValue.Null,
    };

    public static SurveyRun ToRun(BsonDocument document) => new(
        document["_id"].AsString,
        Enum.Parse<SurveyKind>(document["kind"].AsString),
        Text(document["topic"]),
        document["by"].AsString,
        Moment(document["at"]),
        Enum.Parse<SurveyRunSource>(document["source"].AsString),
        document["requested"].AsInt32,
        document["fatigued"].AsInt32,
        document["unknown"].AsArray.Select(value => value.AsString).ToList(),
        // Runs written before campaigns were prepared in the background have no queue.
        document["queued"].IsArray
            ? document["queued"].AsArray.Select(item => new SurveyRecipient(item[0].AsString, Enum.Parse<ChatPlatform>(item[1].AsString), item[2].AsString,
                item.AsArray.Count > 3 ? Text(item[3]) : null)).ToList()
            : null);

    public static BsonDocument From(SurveyInvitation invitation) => new()
    {
        ["_id"] = invitation.Id,
        ["run"] = invitation.RunId,
        ["kind"] = invitation.Kind.ToString(),
        ["customer"] = invitation.CustomerId,
        ["platform"] = invitation.Platform.ToString(),
        ["user"] = invitation.UserId,
        ["person"] = PersonKey(invitation.Platform, invitation.UserId),
        ["topic"] = Text(invitation.Topic),
        ["state"] = invitation.State.ToString(),
        ["created"] = invitation.CreatedAt.UtcDateTime,
        ["send_at"] = invitation.SendAt.UtcDateTime,
        ["invited"] = Moment(invitation.InvitedAt),
        ["expires"] = Moment(invitation.ExpiresAt),
        ["reminded"] = Moment(invitation.RemindedAt),
        ["score"] = invitation.Score is { } score ? new BsonValue(score) : BsonValue.Null,
        ["comment"] = Text(invitation.Comment),
        ["answered"] = Moment(invitation.AnsweredAt),
        ["conversation"] = Text(invitation.ConversationId),
        ["message"] = Text(invitation.MessageId),
        ["problem"] = Text(invitation.Problem),
        ["attempts"] = invitation.Attempts,
        ["deliveries"] = Text(invitation.RecentDeliveries),
        ["workspace"] = Text(invitation.Workspace),
    };

    public static SurveyInvitation ToInvitation(BsonDocument document) => new(
        document["_id"].AsString,
        document["run"].AsString,
        Enum.Parse<SurveyKind>(document["kind"].AsString),
        document["customer"].AsString,
        Enum.Parse<ChatPlatform>(document["platform"].AsString),
        document["user"].AsString,
        Text(document["topic"]),
        Enum.Parse<InvitationState>(document["state"].AsString),
        Moment(document["created"]),
        Moment(document["send_at"]),
        OptionalMoment(document["invited"]),
        OptionalMoment(document["expires"]),
        OptionalMoment(document["reminded"]),
        document["score"].IsNull ? null : document["score"].AsInt32,
        Text(document["comment"]),
        OptionalMoment(document["answered"]),
        Text(document["conversation"]),
        Text(document["message"]),
        Text(document["problem"]),
        document["attempts"].AsInt32,
        document.TryGetValue("deliveries", out var deliveries) ? Text(deliveries) : null,
        document.TryGetValue("workspace", out var workspace) ? Text(workspace) : null);

    private static BsonValue Text(string? text) => text is null ? BsonValue.Null : new BsonValue(text);

    private static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;

    private static BsonValue Moment(DateTimeOffset? moment) => moment is { } at ? new BsonValue(at.UtcDateTime) : BsonValue.Null;

    private static DateTimeOffset Moment(BsonValue value) => new(DateTime.SpecifyKind(value.AsDateTime, DateTimeKind.Utc));

    private static DateTimeOffset? OptionalMoment(BsonValue value) => value.IsNull ? null : Moment(value);
}
