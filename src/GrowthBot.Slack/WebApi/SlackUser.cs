namespace GrowthBot.Slack.WebApi;

/// <summary>What <c>users.info</c> says about a person, as far as access decisions need it.</summary>
/// <param name="Id">The user id.</param>
/// <param name="TeamId">The workspace the user belongs to (another one for Slack Connect users).</param>
/// <param name="IsGuest">A single- or multi-channel guest (<c>is_restricted</c> / <c>is_ultra_restricted</c>).</param>
/// <param name="IsBot">A bot user.</param>
/// <param name="IsExternal">A Slack Connect user from another organisation (<c>is_stranger</c> or a foreign team).</param>
/// <param name="Name">The display name.</param>
/// <param name="EnterpriseId">On Enterprise Grid, the org the user belongs to (<c>enterprise_user.enterprise_id</c>).</param>
public sealed record SlackUser(string Id, string? TeamId, bool IsGuest, bool IsBot, bool IsExternal, string? Name, string? EnterpriseId = null);

/// <summary>Who the bot is, from <c>auth.test</c>: used to ignore its own messages.</summary>
public sealed record SlackIdentity(string TeamId, string UserId, string? BotId);

/// <summary>What <c>conversations.info</c> says about a conversation, as far as the audience check needs it.</summary>
/// <param name="Id">The conversation id.</param>
/// <param name="Name">The channel name, if it has one.</param>
/// <param name="IsDirect">A DM (<c>is_im</c>).</param>
/// <param name="IsExternallyShared">Slack Connect: shared with another organisation, or an invitation to share is pending.</param>
/// <param name="IsArchived">Archived.</param>
public sealed record SlackChannel(string Id, string? Name, bool IsDirect, bool IsExternallyShared, bool IsArchived);
