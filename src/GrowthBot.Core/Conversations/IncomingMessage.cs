namespace GrowthBot.Core.Conversations;

/// <summary>The chat platform a message came from.</summary>
public enum ChatPlatform
{
    Slack,
    Teams,
    CommandLine,
}

/// <summary>
/// Who sent a message, as the adapter established it. <see cref="OrganisationId"/> is the Slack
/// workspace (team) id or the Teams/AAD tenant id the user belongs to; <see cref="IsGuest"/> is
/// true for Slack single/multi-channel guests and Teams guests. The access policy decides from
/// these whether the sender is staff of the home organisation. <see cref="EnterpriseId"/> is the
/// organisation that workspace belongs to when there is one above it (a Slack Enterprise Grid org).
/// <see cref="Workspace"/> is the adapter's opaque key for the installation the message reached the
/// bot through (which token answers it, when the bot is installed in several workspaces); null when
/// the adapter has only one. <see cref="Locale"/> is the culture name the sender's client sent ("de-DE"),
/// which answers write their numbers and dates in; null when the platform sends none (Slack).
/// </summary>
public sealed record Requester(ChatPlatform Platform, string UserId, string? OrganisationId, bool IsGuest, string? DisplayName = null,
    string? Workspace = null, string? EnterpriseId = null, string? Locale = null);

/// <summary>
/// A message to the bot, translated at the edge: no Slack or Teams shape crosses into Core.
/// <see cref="DeliveryId"/> is the platform's id for this delivery (Slack event_id, Teams
/// activity id) so a retry is recognised. <see cref="ConversationId"/> identifies the channel or
/// chat, <see cref="ThreadId"/> the thread to answer in, if any. The text has the bot's mention
/// already stripped. <see cref="ReplyAddress"/> is where the adapter wants the answer
/// delivered, opaque to Core (a Slack slash command's response_url, say). A button press is
/// recorded as a message too (its text is the button's value, for the inbox and the reply);
/// <see cref="Press"/> then carries the press itself, so a press left unanswered by a crash is
/// answered as a press after the restart, not read as something typed. <see cref="Resumed"/> is true
/// when an earlier attempt may already have delivered the answer without recording it (its host died
/// between the two, or the attempt failed after the platform took the post): the replier then looks
/// for that answer before posting, where the platform lets a bot read its own posts back.
/// </summary>
public sealed record IncomingMessage(
    ChatPlatform Platform,
    string DeliveryId,
    string ConversationId,
    string? ThreadId,
    Requester From,
    string Text,
    DateTimeOffset ReceivedAt,
    string? ReplyAddress = null,
    IncomingAction? Press = null,
    bool Resumed = false);
