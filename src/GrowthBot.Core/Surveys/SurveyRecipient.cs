using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// Who a chat user is as a customer: the link that ties a response to its customer, segment and channel.
/// <see cref="Workspace"/> is the platform installation the user is reached through (the opaque key of
/// <see cref="Requester.Workspace"/>), null when unknown: with several installations a DM the bot starts
/// itself needs it.
/// </summary>
public sealed record SurveyRecipient(string CustomerId, ChatPlatform Platform, string UserId, string? Workspace = null);

/// <summary>A person to ask: a chat user on a platform.</summary>
public sealed record SurveyTarget(ChatPlatform Platform, string UserId);
