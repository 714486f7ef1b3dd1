using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Surveys;

/// <summary>Who a chat user is as a customer: the link that ties a response to its customer, segment and channel.</summary>
public sealed record SurveyRecipient(string CustomerId, ChatPlatform Platform, string UserId);

/// <summary>A person to ask: a chat user on a platform.</summary>
public sealed record SurveyTarget(ChatPlatform Platform, string UserId);
