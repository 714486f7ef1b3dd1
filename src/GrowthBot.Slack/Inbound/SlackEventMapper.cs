using System.Text.Json;
using System.Text.RegularExpressions;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Slack.Inbound;

/// <summary>What an Events API request asks of the bot.</summary>
internal abstract record SlackEventOutcome
{
    /// <summary>url_verification: echo the challenge.</summary>
    public sealed record Challenge(string Value) : SlackEventOutcome;

    /// <summary>Acknowledge and do nothing (the bot's own message, an edit, an event it does not handle).</summary>
    public sealed record Ignore(string Reason) : SlackEventOutcome;

    /// <summary>A message to answer.</summary>
    public sealed record Message(IncomingMessage Incoming) : SlackEventOutcome;

    /// <summary>
    /// An event about the app or a conversation rather than a message to answer: the bot joined a
    /// channel, a channel was archived, deleted or shared, someone opened the Home tab, the app was
    /// uninstalled or its tokens revoked. <see cref="DeliveryId"/> recognises Slack's retries.
    /// </summary>
    public sealed record Lifecycle(string DeliveryId, string TeamId, string Type, JsonElement Event, string? Workspace = null, string? BotUserId = null) : SlackEventOutcome;

    /// <summary>The JSON is not an Events API payload.</summary>
    public sealed record Invalid(string Reason) : SlackEventOutcome;
}

/// <summary>
/// Translates an Events API payload into an <see cref="IncomingMessage"/> at the edge: app
/// mentions (answered in their thread) and direct messages; never the bot's own messages,
/// edits, deletions or other subtypes. The delivery id is <c>team_id:event_id</c>, which Slack
/// keeps the same across retries.
/// </summary>
internal static partial class SlackEventMapper
{
    public static SlackEventOutcome Map(JsonElement payload, string? botUserId, string? botId, DateTimeOffset receivedAt, string? workspace = null)
    {
        if (payload.ValueKind != JsonValueKind.Object) return new SlackEventOutcome.Invalid("the payload is not a JSON object");
        switch (Text(payload, "type"))
        {
            case "url_verification":
                return Text(payload, "challenge") is { } challenge
                    ? new SlackEventOutcome.Challenge(challenge)
                    : new SlackEventOutcome.Invalid("url_verification without a challenge");
            case "event_callback":
                break;
            case null:
                return new SlackEventOutcome.Invalid("no type");
            default:
                return new SlackEventOutcome.Ignore($"payload type {Text(payload, "type")}");
        }

        var teamId = Text(payload, "team_id");
        var eventId = Text(payload, "event_id");
        if (teamId is null || eventId is null || !payload.TryGetProperty("event", out var evt) || evt.ValueKind != JsonValueKind.Object)
        {
            return new SlackEventOutcome.Invalid("event_callback without team_id, event_id or event");
        }

        var type = Text(evt, "type");
        if (type is not null && LifecycleTypes.Contains(type)) return new SlackEventOutcome.Lifecycle($"{teamId}:{eventId}", teamId, type, evt.Clone(), workspace, botUserId);
        var user = Text(evt, "user");
        // A DM with a file attached arrives as subtype file_share; its text (if any) is what was typed beside the file.
        var subtype = Text(evt, "subtype");
        var fileShare = subtype == "file_share" && type == "message" && Text(evt, "channel_type") == "im";
        if (subtype is not null && !fileShare) return new SlackEventOutcome.Ignore($"message subtype {subtype}");
        // Never answer a bot: our own posts would loop, and other bots' posts are not questions.
        if (Text(evt, "bot_id") is { } sender) return new SlackEventOutcome.Ignore(sender == botId ? "the bot's own message" : "another bot's message");
        if (user is null) return new SlackEventOutcome.Ignore("no user");
        if (user == botUserId) return new SlackEventOutcome.Ignore("the bot's own message");

        var channel = Text(evt, "channel");
        var ts = Text(evt, "ts");
        if (channel is null || ts is null) return new SlackEventOutcome.Invalid("event without channel or ts");
        string? thread;
        if (type == "app_mention")
        {
            thread = Text(evt, "thread_ts") ?? ts;
        }
        else if (type == "message" && Text(evt, "channel_type") == "im")
        {
            thread = Text(evt, "thread_ts");
        }
        else
        {
            return new SlackEventOutcome.Ignore($"event type {type}");
        }

        var organisation = Text(evt, "user_team") ?? Text(evt, "team") ?? teamId;
        var text = StripMentions(Text(evt, "text") ?? string.Empty, botUserId);
        if (fileShare && text.Length == 0) text = FileOnlyText;
        return new SlackEventOutcome.Message(new IncomingMessage(
            ChatPlatform.Slack,
            $"{teamId}:{eventId}",
            channel,
            thread,
            new Requester(ChatPlatform.Slack, user, organisation, IsGuest: false, Workspace: workspace),
            text,
            receivedAt));
    }

    /// <summary>The events <see cref="SlackEventOutcome.Lifecycle"/> carries (the manifest subscribes to each).</summary>
    internal static readonly HashSet<string> LifecycleTypes = new(StringComparer.Ordinal)
    {
        "member_joined_channel", "channel_archived", "channel_deleted", "group_archived", "group_deleted", "channel_shared",
        "app_home_opened", "app_uninstalled", "tokens_revoked",
    };

    /// <summary>
    /// What a DM that is only a file reads as: the bot reads no files, so it is answered as a request
    /// for help (which says what the bot can be asked), not ignored.
    /// </summary>
    internal const string FileOnlyText = "help";

    /// <summary>Removes the bot's mention (and a leading mention of anyone, as Slack writes it: &lt;@U123&gt; or &lt;@U123|name&gt;).</summary>
    internal static string StripMentions(string text, string? botUserId)
    {
        var stripped = botUserId is null ? text : text.Replace($"<@{botUserId}>", " ", StringComparison.Ordinal);
        stripped = LeadingMention().Replace(stripped, string.Empty);
        return Unescape(stripped).Trim();
    }

    /// <summary>Slack escapes &amp;, &lt; and &gt; in message text.</summary>
    internal static string Unescape(string text) =>
        text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>\s*")]
    private static partial Regex LeadingMention();
}
