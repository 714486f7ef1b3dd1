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

    public SlackApiException(string method, string error, Exception innerException)
        : base($"Slack {method} failed: {error} ({Describe(error)}){(innerException is SlackApiException earlier ? $", after {earlier.Error}" : string.Empty)}", innerException)
    {
        Method = method;
        Error = error;
    }

    public SlackApiException() { }

    public SlackApiException(string message) : base(message) { }

    public SlackApiException(string message, Exception innerException) : base(message, innerException) { }

    public string Method { get; } = string.Empty;

    public string Error { get; } = string.Empty;

    /// <summary>No connection to Slack could be made (nothing was sent).</summary>
    public const string Unreachable = "unreachable";

    /// <summary>The connection broke after the request was sent.</summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary>No answer within the HTTP client's timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>No token for the workspace: the app was never installed there, or was uninstalled or its token revoked.</summary>
    public const string NotInstalled = "not_installed";

    /// <summary>A DM the bot starts itself names no workspace, and the app is installed in several with no <c>Slack__BotToken</c>.</summary>
    public const string WorkspaceUnknown = "workspace_unknown";

    /// <summary>A post whose outcome was uncertain was looked for and is not in the conversation.</summary>
    public const string NotStored = "not_stored";

    /// <summary>A post whose outcome was uncertain could not be looked for.</summary>
    public const string Unverified = "unverified";

    /// <summary>
    /// Errors after which Slack may have carried out the call: 5xx, a timeout, a broken connection,
    /// and Slack's own <c>internal_error</c>/<c>fatal_error</c> ("some aspect of the operation may have succeeded").
    /// </summary>
    public static bool MayHaveBeenApplied(string error) =>
        error is ConnectionLost or Timeout or "internal_error" or "fatal_error" || (error ?? string.Empty).StartsWith("http_5", StringComparison.Ordinal);

    /// <summary>
    /// Errors that trying again later can fix without risking a duplicate: nothing was applied.
    /// Every other code, known or not, is permanent (an unknown code retried forever helps nobody).
    /// </summary>
    public static bool IsTransient(string error) =>
        error is "ratelimited" or Unreachable or NotStored or "service_unavailable" or "team_added_to_org" ||
        (MayHaveBeenApplied(error) && error != "fatal_error");

    /// <summary>What an error code means and what to do about it, for logs and people waiting for an answer.</summary>
    public static string Describe(string error) => error switch
    {
        "not_in_channel" => "the bot is not a member of that channel; invite it with /invite @GrowthBot",
        "channel_not_found" => "the channel does not exist or the bot cannot see it",
        "invalid_auth" or "not_authed" or "token_revoked" or "account_inactive" => "the bot token is missing, wrong or revoked; check Slack__BotToken, or install the app in that workspace again",
        "ratelimited" => "Slack is rate-limiting the bot; the message will be retried",
        "is_archived" => "the channel is archived",
        "msg_too_long" => "the message is too long for Slack",
        "invalid_blocks" => "Slack refused the message layout",
        "missing_scope" => "the app lacks a scope it needs; reinstall it from manifests/slack/manifest.json",
        "user_not_found" => "no such user in this workspace",
        Unreachable => "Slack could not be reached; check the network or proxy",
        ConnectionLost or Timeout => "Slack did not answer in time; the call may or may not have been carried out",
        NotStored => "the post failed and is not in the conversation; it can be sent again",
        Unverified => "the post failed and whether Slack stored it could not be checked",
        WorkspaceUnknown => "the person's Slack workspace is not known and the app is installed in several; link them with \"survey link @person CUSTOMER_ID\" in their workspace, or add a workspace column (their T… or E… id) to the recipients file",
        NotInstalled => "the app is not installed in that workspace (or was uninstalled, or its token revoked); install it again from /slack/install",
        "invalid_refresh_token" => "Slack does not accept the installation's refresh token (revoked, or already used); install the app there again",
        "invalid_code" => "the install code is unknown, expired or already used; start the install again",
        "bad_redirect_uri" => "the redirect URL does not match the app's; check Slack__RedirectUrl and oauth_config.redirect_urls",
        "bad_client_secret" or "invalid_client_id" => "the app's client id or secret is wrong; check Slack__ClientId and Slack__ClientSecret",
        "file_uploads_disabled" => "file uploads are disabled in this workspace; charts are left out",
        _ => "see https://api.slack.com/methods for this error",
    };
}
