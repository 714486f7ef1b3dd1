using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;

namespace GrowthBot.Core.FollowUps;

/// <summary>
/// Settings of the closed loop (section <c>FollowUps</c>): which channel takes the unhappy answers of
/// each survey. A channel is written <c>slack:CHANNEL</c>, <c>slack:WORKSPACE/CHANNEL</c> (when the bot
/// is installed in several workspaces) or <c>teams:CONVERSATION</c> (a channel the bot has been added
/// to). A survey with no channel opens no cases. Validated at start by <see cref="FollowUpOptionsValidator"/>.
/// </summary>
public sealed class FollowUpOptions
{
    public const string SectionName = "FollowUps";

    /// <summary>Where detractors (NPS 0–6) go.</summary>
    public string? Nps { get; set; }

    /// <summary>Where dissatisfied CSAT answers (1–2) go.</summary>
    public string? Csat { get; set; }

    /// <summary>Where hard CES answers (1–3) go.</summary>
    public string? Ces { get; set; }

    /// <summary>How often the poster looks for cases left unposted (it is also woken at once by every new case).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a run's claim on a post lasts: a case left sending by a run (or host) that stopped mid-post
    /// is taken over by another once its claim is this old. It must stay above the longest a post can take
    /// (the platform's own retries included), or a slow post may go out twice.
    /// </summary>
    public TimeSpan PostLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many earlier answers a post lists.</summary>
    public int PreviousAnswers { get; set; } = 5;

    public string? ChannelText(SurveyKind survey) => survey switch
    {
        SurveyKind.Nps => Nps,
        SurveyKind.Csat => Csat,
        _ => Ces,
    };

    /// <summary>Where a survey's cases go, or null when that survey has none set.</summary>
    public ChatAddress? Destination(SurveyKind survey) => TryParse(ChannelText(survey), out var address, out _) ? address : null;

    /// <summary>Reads "slack:C0123", "slack:T0123/C0123" or "teams:19:…@thread.tacv2".</summary>
    public static bool TryParse(string? text, out ChatAddress? address, out string? error)
    {
        address = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var platform = colon < 0 ? string.Empty : text[..colon].Trim();
        var rest = colon < 0 ? string.Empty : text[(colon + 1)..].Trim();
        if (rest.Length == 0 || rest.Any(char.IsWhiteSpace))
        {
            error = $"\"{text}\" is not a channel: write slack:CHANNEL_ID, slack:WORKSPACE_ID/CHANNEL_ID or teams:CONVERSATION_ID.";
            return false;
        }
        if (platform.Equals("slack", StringComparison.OrdinalIgnoreCase))
        {
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            address = slash < 0
                ? new ChatAddress(ChatPlatform.Slack, rest)
                : new ChatAddress(ChatPlatform.Slack, rest[(slash + 1)..], rest[..slash]);
            if (address.ConversationId.Length == 0 || address.Workspace?.Length == 0)
            {
                address = null;
                error = $"\"{text}\" is not a Slack channel: write slack:CHANNEL_ID or slack:WORKSPACE_ID/CHANNEL_ID.";
                return false;
            }
            return true;
        }
        if (platform.Equals("teams", StringComparison.OrdinalIgnoreCase))
        {
            address = new ChatAddress(ChatPlatform.Teams, rest);
            return true;
        }
        error = $"\"{text}\" names no platform: start it with slack: or teams:.";
        return false;
    }
}
