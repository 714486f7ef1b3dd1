using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Access;

/// <summary>What a sender who is not staff is told. It says nothing about any number, not even whether there is data.</summary>
public static class AccessReplies
{
    public static ChatMessage MetricsRefused(string companyName) => ChatMessage.Plain(
        $"Sorry, I can only share metrics with {(string.IsNullOrWhiteSpace(companyName) ? "staff" : $"staff of {companyName.Trim()}")}. " +
        "You can still answer our surveys here whenever I send you one — thank you for your feedback!");
}
