namespace GrowthBot.Slack.WebApi;

/// <summary>A Web API call that answered <c>ok: false</c> (or could not be completed), with Slack's error code.</summary>
public sealed class SlackApiException : Exception
{
    public SlackApiException(string method, string error)
        : base($"Slack {method} failed: {error} ({Describe(error)})")
    {
        Method = method;
        Error = error;
    }

    public SlackApiException() { }

    public SlackApiException(string message) : base(message) { }

    public SlackApiException(string message, Exception innerException) : base(message, innerException) { }

    public string Method { get; } = string.Empty;

    public string Error { get; } = string.Empty;

    /// <summary>What an error code means and what to do about it, for logs and people waiting for an answer.</summary>
    public static string Describe(string error) => error switch
    {
        "not_in_channel" => "the bot is not a member of that channel; invite it with /invite @GrowthBot",
        "channel_not_found" => "the channel does not exist or the bot cannot see it",
        "invalid_auth" or "not_authed" or "token_revoked" or "account_inactive" => "the bot token is missing, wrong or revoked; check Slack__BotToken",
        "ratelimited" => "Slack is rate-limiting the bot; the message will be retried",
        "is_archived" => "the channel is archived",
        "msg_too_long" => "the message is too long for Slack",
        "invalid_blocks" => "Slack refused the message layout",
        "missing_scope" => "the app lacks a scope it needs; reinstall it from manifests/slack/manifest.json",
        "user_not_found" => "no such user in this workspace",
        _ => "see https://api.slack.com/methods for this error",
    };
}
