using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Installations;

/// <summary>
/// The bot installed in one workspace (or, org-wide, in every workspace of an enterprise) through
/// the platform's install flow. <see cref="Key"/> is the adapter's key for it (what
/// <see cref="Requester.Workspace"/> carries). <see cref="ProtectedToken"/> is the bot token as the
/// adapter encrypted it: the store never sees the token itself. With the platform's token rotation the
/// token expires at <see cref="TokenExpiresAt"/> and <see cref="ProtectedRefreshToken"/> (encrypted the
/// same way) gets the next one; both are null for tokens that do not expire.
/// </summary>
public sealed record ChatInstallation(
    ChatPlatform Platform,
    string Key,
    string? EnterpriseId,
    string? EnterpriseName,
    string? TeamId,
    string? TeamName,
    bool IsEnterpriseInstall,
    string AppId,
    string BotUserId,
    string Scopes,
    string ProtectedToken,
    string? InstalledBy,
    DateTimeOffset InstalledAt,
    string? ProtectedRefreshToken = null,
    DateTimeOffset? TokenExpiresAt = null);

/// <summary>Installations by platform and key; installing again replaces the previous one.</summary>
public interface IInstallationStore
{
    /// <summary>Adds or replaces the installation with the same platform and key.</summary>
    void Save(ChatInstallation installation);

    ChatInstallation? Find(ChatPlatform platform, string key);

    IReadOnlyList<ChatInstallation> All(ChatPlatform platform);

    /// <summary>Forgets an installation (uninstalled, tokens revoked); false when there was none.</summary>
    bool Remove(ChatPlatform platform, string key);
}
