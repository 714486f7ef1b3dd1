using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Inbound;

/// <summary>What an activity from Teams asks of the bot, already in GrowthBot's terms.</summary>
internal abstract record TeamsInboundOutcome
{
    /// <summary>A message to answer; <see cref="Conversation"/> is where it came from, to remember.</summary>
    public sealed record Message(IncomingMessage Incoming, KnownConversation Conversation) : TeamsInboundOutcome;

    /// <summary>An Action.Submit press (a message activity carrying <c>value</c>); <see cref="CardActivityId"/> is the card's activity.</summary>
    public sealed record Submit(IncomingMessage Record, string? CardActivityId, KnownConversation Conversation) : TeamsInboundOutcome
    {
        /// <summary>The press the record carries, for its handler.</summary>
        public IncomingAction Action => Record.Press!;
    }

    /// <summary>An Action.Execute press (invoke <c>adaptiveCard/action</c>), answered in the HTTP response.</summary>
    public sealed record Execute(IncomingMessage Record, KnownConversation Conversation) : TeamsInboundOutcome
    {
        /// <summary>The press the record carries, for its handler.</summary>
        public IncomingAction Action => Record.Press!;
    }

    /// <summary>The bot was installed (<see cref="Welcome"/>) or the conversation changed: remember where it is.</summary>
    public sealed record Installed(KnownConversation Conversation, bool Welcome) : TeamsInboundOutcome;

    /// <summary>The bot was removed or the conversation is gone; with a team id, every channel of that team is.</summary>
    public sealed record Removed(string ConversationId, string? TeamId) : TeamsInboundOutcome;

    /// <summary>
    /// A message was deleted (<c>messageDelete</c>, <c>softDeleteMessage</c>): the bot's answer to it, if it
    /// remembers one, goes too. <see cref="ConversationId"/> is the conversation the message was in.
    /// </summary>
    public sealed record Deleted(string ConversationId, string MessageId, string ServiceUrl) : TeamsInboundOutcome;

    /// <summary>An invoke GrowthBot does not implement (message extensions, sign-in…).</summary>
    public sealed record UnsupportedInvoke(string? Name) : TeamsInboundOutcome;

    /// <summary>Nothing to do (typing, reactions, edits).</summary>
    public sealed record Ignored(string Reason) : TeamsInboundOutcome;

    /// <summary>Not a usable activity (required fields missing).</summary>
    public sealed record Invalid(string Reason) : TeamsInboundOutcome;
}

/// <summary>
/// Maps Teams activities to GrowthBot's records at the edge. Delivery ids are the conversation id
/// and the activity id together: Teams message ids are only unique within a conversation.
/// </summary>
internal static class TeamsActivityMapper
{
    public static TeamsInboundOutcome Map(TeamsActivity activity, Func<TeamsAccount, bool> isBot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Type is null) return new TeamsInboundOutcome.Invalid("the activity has no type");
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || !Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out _))
        {
            return new TeamsInboundOutcome.Invalid("the activity has no valid serviceUrl");
        }
        if (string.IsNullOrWhiteSpace(activity.ConversationId)) return new TeamsInboundOutcome.Invalid("the activity has no conversation id");

        switch (activity.Type)
        {
            case "message":
                return MapMessage(activity, isBot, now);
            case "invoke":
                return string.Equals(activity.Name, "adaptiveCard/action", StringComparison.Ordinal)
                    ? MapExecute(activity, now)
                    : new TeamsInboundOutcome.UnsupportedInvoke(activity.Name);
            case "installationUpdate":
                return activity.Action switch
                {
                    "add" => new TeamsInboundOutcome.Installed(ConversationOf(activity, now), Welcome: true),
                    "add-upgrade" => new TeamsInboundOutcome.Installed(ConversationOf(activity, now), Welcome: false),
                    "remove" => new TeamsInboundOutcome.Removed(Base(activity.ConversationId), TeamOf(activity)),
                    _ => new TeamsInboundOutcome.Ignored($"installationUpdate {activity.Action}"),
                };
            case "conversationUpdate":
                return MapConversationUpdate(activity, isBot, now);
            // An edited question is a new question about the same message: answered again (the answer updated in place).
            case "messageUpdate" when activity.EventType == "editMessage":
                return MapEdit(activity, isBot, now);
            case "messageDelete" when activity.EventType == "softDeleteMessage" && !string.IsNullOrEmpty(activity.Id):
                return new TeamsInboundOutcome.Deleted(activity.ConversationId!, activity.Id, activity.ServiceUrl!);
            default:
                return new TeamsInboundOutcome.Ignored(activity.Type);
        }
    }

    private static TeamsInboundOutcome MapMessage(TeamsActivity activity, Func<TeamsAccount, bool> isBot, DateTimeOffset now)
    {
        if (activity.From is null || string.IsNullOrEmpty(activity.Id)) return new TeamsInboundOutcome.Invalid("the message has no id or sender");
        if (isBot(activity.From)) return new TeamsInboundOutcome.Ignored("the bot's own message");
        var conversation = ConversationOf(activity, now);
        var requester = RequesterOf(activity);

        if (activity.Value.ValueKind == JsonValueKind.Object)
        {
            // Action.Submit: Teams sends the card's data merged with the inputs as the message's value.
            if (ActionOf(activity.Value) is not { } press) return new TeamsInboundOutcome.Ignored("a card submit without an actionId");
            return new TeamsInboundOutcome.Submit(Press(activity, requester, press, now), activity.ReplyToId, conversation);
        }

        var text = MentionText.Normalise(activity.Text, activity.Mentions, isBot, out var botMentioned);
        if (text.Length == 0)
        {
            // "@GrowthBot" alone is a question about what it can do; an empty message (a picture, a sticker) is not.
            if (!botMentioned) return new TeamsInboundOutcome.Ignored("a message without text");
            text = "help";
        }
        // A channel message's conversation id names its thread ("19:…;messageid=ROOT"). Commands and
        // memory belong to the channel, so the message is the channel's and the thread travels as
        // its ThreadId (the thread's conversation id and the message to answer, for the replier).
        var channel = Base(activity.ConversationId);
        var thread = channel == activity.ConversationId ? activity.Id : TeamsThread.Encode(activity.ConversationId!, activity.Id);
        var incoming = new IncomingMessage(ChatPlatform.Teams, DeliveryId(activity), channel, thread, requester, text, now, activity.ServiceUrl);
        return new TeamsInboundOutcome.Message(incoming, conversation);
    }

    /// <summary>
    /// <c>messageUpdate</c>/<c>editMessage</c> carries the message's own id with its new text. Its delivery id
    /// adds the text's hash: Teams' retry of one edit is recognised, a second edit is answered again.
    /// </summary>
    private static TeamsInboundOutcome MapEdit(TeamsActivity activity, Func<TeamsAccount, bool> isBot, DateTimeOffset now)
    {
        if (activity.Value.ValueKind == JsonValueKind.Object) return new TeamsInboundOutcome.Ignored("an edited card submit");
        var mapped = MapMessage(activity, isBot, now);
        if (mapped is not TeamsInboundOutcome.Message message) return mapped;
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(activity.Text ?? string.Empty)))[..16];
        return message with { Incoming = message.Incoming with { DeliveryId = message.Incoming.DeliveryId + EditMarker + hash } };
    }

    /// <summary>What marks an edit's delivery id, so the replier updates the earlier answer instead of adding one.</summary>
    internal const string EditMarker = "|edit:";

    private static TeamsInboundOutcome MapExecute(TeamsActivity activity, DateTimeOffset now)
    {
        if (activity.From is null || string.IsNullOrEmpty(activity.Id)) return new TeamsInboundOutcome.Invalid("the invoke has no id or sender");
        var action = TeamsJson.Object(activity.Value, "action");
        var data = TeamsJson.Object(action, "data");
        var verb = TeamsJson.Text(action, "verb");
        var press = ActionOf(data) ?? (verb is null ? null : new CardPress(verb, string.Empty, Inputs(data)));
        if (press is null) return new TeamsInboundOutcome.Invalid("adaptiveCard/action without a verb or actionId");
        return new TeamsInboundOutcome.Execute(Press(activity, RequesterOf(activity), press, now), ConversationOf(activity, now));
    }

    private static TeamsInboundOutcome MapConversationUpdate(TeamsActivity activity, Func<TeamsAccount, bool> isBot, DateTimeOffset now)
    {
        switch (activity.EventType)
        {
            case "teamDeleted" or "teamHardDeleted":
                return new TeamsInboundOutcome.Removed(Base(activity.ConversationId), TeamOf(activity));
            // An archived team is read-only and an unarchived one is the team the bot already knows: neither is an install.
            case "teamArchived" or "teamUnarchived":
                return new TeamsInboundOutcome.Ignored($"conversationUpdate {activity.EventType}");
            case "channelDeleted" when activity.ChannelDataChannelId is { } deleted:
                return new TeamsInboundOutcome.Removed(deleted, null);
            case "channelCreated" or "channelRenamed" or "channelRestored" when activity.ChannelDataChannelId is { } channel:
                return new TeamsInboundOutcome.Installed(ConversationOf(activity, now) with { ConversationId = channel, Name = activity.ChannelName }, Welcome: false);
        }
        if (activity.MembersRemoved.Any(isBot)) return new TeamsInboundOutcome.Removed(Base(activity.ConversationId), TeamOf(activity));
        return new TeamsInboundOutcome.Installed(ConversationOf(activity, now), Welcome: activity.MembersAdded.Any(isBot));
    }

    private sealed record CardPress(string ActionId, string Value, IReadOnlyDictionary<string, string> Inputs);

    private static CardPress? ActionOf(JsonElement data) =>
        CardActionData.TryRead(data, out var actionId, out var value, out var inputs) ? new CardPress(actionId, value, inputs) : null;

    /// <summary>What was typed into the card's inputs, for an Action.Execute without GrowthBot's data (its verb alone).</summary>
    private static Dictionary<string, string> Inputs(JsonElement data)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.ValueKind != JsonValueKind.Object) return inputs;
        foreach (var property in data.EnumerateObject())
        {
            if (CardActionData.IsReserved(property.Name)) continue;
            if (TeamsJson.AsText(property.Value) is { Length: > 0 } text) inputs[property.Name] = text.Trim();
        }
        return inputs;
    }

    /// <summary>The press as a message record (text = the button's value) carrying the press itself.</summary>
    private static IncomingMessage Press(TeamsActivity activity, Requester requester, CardPress press, DateTimeOffset now)
    {
        var deliveryId = DeliveryId(activity);
        var pressed = new IncomingAction(ChatPlatform.Teams, deliveryId, activity.ConversationId!, activity.ReplyToId, requester, press.ActionId, press.Value, now, press.Inputs);
        return new IncomingMessage(ChatPlatform.Teams, deliveryId, activity.ConversationId!, activity.ReplyToId, requester, press.Value, now, activity.ServiceUrl, pressed);
    }

    private static string DeliveryId(TeamsActivity activity) => $"{activity.ConversationId}|{activity.Id}";

    private static Requester RequesterOf(TeamsActivity activity) =>
        new(ChatPlatform.Teams, activity.From!.UserId, activity.TenantId, IsGuest: false, activity.From.Name, Locale: activity.Locale);

    /// <summary>Where a reply or a later proactive message goes: the conversation (a channel, not one of its threads), its kind, tenant, team and service URL.</summary>
    internal static KnownConversation ConversationOf(TeamsActivity activity, DateTimeOffset now)
    {
        var kind = activity.ConversationType switch
        {
            "personal" => ConversationKind.Personal,
            "groupChat" => ConversationKind.Group,
            "channel" => ConversationKind.Channel,
            _ => activity.IsGroup ? ConversationKind.Group : ConversationKind.Personal,
        };
        var id = Base(activity.ConversationId);
        var name = kind switch
        {
            ConversationKind.Channel => activity.ChannelName ?? (id == activity.TeamId ? activity.TeamName is null ? "General" : $"{activity.TeamName} › General" : activity.ConversationName),
            ConversationKind.Group => activity.ConversationName,
            _ => activity.From?.Name,
        };
        var user = kind == ConversationKind.Personal ? activity.From?.UserId : null;
        return new KnownConversation(ChatPlatform.Teams, id, kind, activity.TenantId, TeamOf(activity), name, user, activity.ServiceUrl, now);
    }

    private static string? TeamOf(TeamsActivity activity) => activity.TeamId;

    private static string Base(string? conversationId) => Connector.TeamsConnectorClient.ThreadOf(conversationId ?? string.Empty);
}
