using System.Text.Json;

namespace GrowthBot.Slack.WebApi;

/// <summary>
/// What oauth.v2.access answers for an install, as far as the bot needs it: the bot token
/// (<c>token_type</c> <c>bot</c>), its scopes and bot user, the app, the workspace (<c>team</c>, null
/// for an org-wide install), the Enterprise Grid org (<c>enterprise</c>, null outside Grid),
/// <c>is_enterprise_install</c> and the installing user (<c>authed_user.id</c>; their user token, if
/// any, is not kept). With token rotation on, the bot token expires after <c>expires_in</c> seconds and
/// <c>refresh_token</c> (<c>xoxe-…</c>) gets the next pair; a refresh answers in the same shape.
/// </summary>
public sealed record SlackOAuthAccess(
    string AccessToken,
    string Scope,
    string BotUserId,
    string AppId,
    string? TeamId,
    string? TeamName,
    string? EnterpriseId,
    string? EnterpriseName,
    bool IsEnterpriseInstall,
    string? AuthedUserId,
    string? RefreshToken = null,
    int? ExpiresIn = null)
{
    /// <summary>The installation in an ok answer, or null when it is not a bot install Slack would send.</summary>
    internal static SlackOAuthAccess? Read(JsonElement answer)
    {
        if (Text(answer, "token_type") != "bot" || Text(answer, "access_token") is not { Length: > 0 } token) return null;
        var team = Object(answer, "team");
        var enterprise = Object(answer, "enterprise");
        var isEnterpriseInstall = answer.TryGetProperty("is_enterprise_install", out var flag) && flag.ValueKind == JsonValueKind.True;
        var teamId = Text(team, "id");
        var enterpriseId = Text(enterprise, "id");
        if (isEnterpriseInstall ? enterpriseId is null : teamId is null) return null;
        return new SlackOAuthAccess(
            token,
            Text(answer, "scope") ?? string.Empty,
            Text(answer, "bot_user_id") ?? string.Empty,
            Text(answer, "app_id") ?? string.Empty,
            teamId,
            Text(team, "name"),
            enterpriseId,
            Text(enterprise, "name"),
            isEnterpriseInstall,
            Text(Object(answer, "authed_user"), "id"),
            Text(answer, "refresh_token") is { Length: > 0 } refresh ? refresh : null,
            answer.TryGetProperty("expires_in", out var expiresIn) && expiresIn.ValueKind == JsonValueKind.Number && expiresIn.TryGetInt32(out var seconds) && seconds > 0 ? seconds : null);
    }

    private static JsonElement Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : default;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
