using System.Collections.Concurrent;
using System.Security.Cryptography;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Installations;
using GrowthBot.Slack.WebApi;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack.Installations;

/// <summary>
/// Which token answers for which workspace. An installation from the "Add to Slack" flow (kept in
/// the <see cref="IInstallationStore"/>, its token encrypted with ASP.NET Core Data Protection) wins;
/// otherwise the single configured <c>Slack__BotToken</c> answers, as it always did. Without a
/// workspace (a survey DM to a person whose workspace is not known) the bot token answers, or the only
/// installation; with several, <see cref="ForRecipient"/> says the workspace must be named.
/// A workspace with neither is refused with <see cref="SlackApiException.NotInstalled"/>, a
/// permanent error: nothing is retried against a workspace that removed the app.
/// </summary>
public sealed partial class SlackInstallations(
    IInstallationStore store,
    IDataProtectionProvider protection,
    SlackWebApiClient client,
    IOptions<SlackOptions> options,
    ILogger<SlackInstallations> logger,
    SlackDigestPauses? pauses = null)
{
    /// <summary>The Data Protection purpose of installation tokens; changing it would make every stored token unreadable.</summary>
    internal const string TokenPurpose = "GrowthBot.Slack.InstallationToken.v1";

    private readonly IDataProtector _protector = protection.CreateProtector(TokenPurpose);
    private readonly ConcurrentDictionary<string, SlackWebApiClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The Web API client that speaks for <paramref name="workspace"/> (an installation key, or null).</summary>
    public SlackWebApiClient For(string? workspace)
    {
        if (workspace is not null)
        {
            if (_clients.TryGetValue(workspace, out var cached)) return cached;
            if (store.Find(ChatPlatform.Slack, workspace) is { } installation) return Remember(installation);
        }
        if (!string.IsNullOrWhiteSpace(options.Value.BotToken)) return client;
        if (workspace is null && store.All(ChatPlatform.Slack) is [var only]) return Remember(only);
        throw new SlackApiException("installation", SlackApiException.NotInstalled);
    }

    /// <summary>
    /// The client for a DM the bot starts itself (a survey) to a person in <paramref name="workspace"/>. As
    /// <see cref="For"/>, except that with no workspace and several installations (and no <c>Slack__BotToken</c>)
    /// nobody can tell whose token reaches the person: that is refused as <see cref="SlackApiException.WorkspaceUnknown"/>,
    /// which says how to name the workspace, rather than as an uninstalled workspace.
    /// </summary>
    public SlackWebApiClient ForRecipient(string? workspace)
    {
        if (workspace is null && string.IsNullOrWhiteSpace(options.Value.BotToken) && store.All(ChatPlatform.Slack).Count > 1)
        {
            throw new SlackApiException("conversations.open", SlackApiException.WorkspaceUnknown);
        }
        return For(workspace);
    }

    /// <summary>
    /// Single-token mode on its own, with no install flow and no store: every workspace is answered
    /// with <c>Slack__BotToken</c> (tools and benches that drive the adapter directly).
    /// </summary>
    public static SlackInstallations SingleToken(SlackWebApiClient client, IOptions<SlackOptions> options) =>
        new(new NoInstallations(), new EphemeralDataProtectionProvider(), client, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SlackInstallations>.Instance);

    /// <summary>The client for response_url posts, which carry no token (the URL itself is the credential).</summary>
    public SlackWebApiClient ForResponseUrls => client;

    /// <summary>The workspace an address without one is served by (the only installation), for replies to come back to it.</summary>
    public string? DefaultWorkspace() =>
        string.IsNullOrWhiteSpace(options.Value.BotToken) && store.All(ChatPlatform.Slack) is [var only] ? only.Key : null;

    /// <summary>The bot user of an installation, if it was installed through the install flow.</summary>
    public string? BotUserId(string? workspace) => workspace is null ? null : store.Find(ChatPlatform.Slack, workspace)?.BotUserId;

    /// <summary>Whether the workspace was installed through the install flow (as opposed to the single configured token).</summary>
    public bool IsInstalled(string? workspace) => workspace is not null && store.Find(ChatPlatform.Slack, workspace) is not null;

    /// <summary>Keeps an installation from oauth.v2.access, its token encrypted; installing again replaces the earlier one.</summary>
    internal ChatInstallation Save(SlackOAuthAccess access, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(access);
        var installation = new ChatInstallation(
            ChatPlatform.Slack,
            SlackWorkspace.Key(access.EnterpriseId, access.TeamId, access.IsEnterpriseInstall),
            access.EnterpriseId, access.EnterpriseName, access.TeamId, access.TeamName, access.IsEnterpriseInstall,
            access.AppId, access.BotUserId, access.Scope, _protector.Protect(access.AccessToken), access.AuthedUserId, now,
            access.RefreshToken is { } refresh ? _protector.Protect(refresh) : null,
            access.ExpiresIn is { } seconds ? now.AddSeconds(seconds) : null);
        store.Save(installation);
        _clients.TryRemove(installation.Key, out _);
        LogInstalled(installation.Key, installation.TeamName ?? installation.EnterpriseName ?? "-", installation.IsEnterpriseInstall);
        return installation;
    }

    /// <summary>The installations whose tokens expire (token rotation), with when.</summary>
    internal IReadOnlyList<ChatInstallation> Expiring() => [.. store.All(ChatPlatform.Slack).Where(installation => installation.TokenExpiresAt is not null && installation.ProtectedRefreshToken is not null)];

    /// <summary>The refresh token of an installation, decrypted; null when it cannot be read (the keys were lost).</summary>
    internal string? RefreshTokenOf(ChatInstallation installation)
    {
        try
        {
            return installation.ProtectedRefreshToken is { } refresh ? _protector.Unprotect(refresh) : null;
        }
        catch (CryptographicException)
        {
            LogUnreadable(installation.Key);
            return null;
        }
    }

    /// <summary>
    /// Keeps the pair a refresh gave (both encrypted) in place of the installation's old one, and speaks with the new
    /// token from now on; false when the installation was removed or replaced meanwhile (nothing is saved then).
    /// </summary>
    internal bool Rotated(ChatInstallation before, SlackOAuthAccess access, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(access);
        if (store.Find(ChatPlatform.Slack, before.Key) is not { } current || current.ProtectedToken != before.ProtectedToken) return false;
        var rotated = current with
        {
            ProtectedToken = _protector.Protect(access.AccessToken),
            ProtectedRefreshToken = access.RefreshToken is { } refresh ? _protector.Protect(refresh) : null,
            TokenExpiresAt = access.ExpiresIn is { } seconds ? now.AddSeconds(seconds) : null,
            Scopes = access.Scope.Length > 0 ? access.Scope : current.Scopes,
        };
        store.Save(rotated);
        Remember(rotated);
        return true;
    }

    /// <summary>Forgets a workspace's installation and token (uninstalled, tokens revoked); false when it had none.</summary>
    public bool Forget(string workspace)
    {
        _clients.TryRemove(workspace, out _);
        return store.Remove(ChatPlatform.Slack, workspace);
    }

    /// <summary>
    /// The workspace's token is gone (the app uninstalled, the token revoked): forgets its installation and
    /// pauses the digests that posted with it. With the single <c>Slack__BotToken</c> (nothing installed
    /// there), the digests saved without a workspace are paused too: there is no token left to post with.
    /// </summary>
    public void Revoke(string? workspace, string reason)
    {
        var wasInstalled = workspace is not null && Forget(workspace);
        pauses?.PauseWorkspace(workspace, wasInstalled, reason);
    }

    /// <summary>
    /// Slack refused an installation's token for good (token_revoked, invalid_auth, account_inactive) on a Web
    /// API call: as if the revocation event had come, unless the installation was replaced since (a new install).
    /// </summary>
    private void Refused(ChatInstallation installation, string method, string error)
    {
        if (store.Find(ChatPlatform.Slack, installation.Key) is not { } current || current.ProtectedToken != installation.ProtectedToken) return;
        Revoke(installation.Key, $"Slack refused the workspace's token ({error})");
        LogRefused(installation.Key, method, error);
    }

    private SlackWebApiClient Remember(ChatInstallation installation)
    {
        string token;
        try
        {
            token = _protector.Unprotect(installation.ProtectedToken);
        }
        catch (CryptographicException)
        {
            // The Data Protection keys were lost or changed: the token cannot be read, so the workspace must install again.
            LogUnreadable(installation.Key);
            throw new SlackApiException("installation", SlackApiException.NotInstalled);
        }
        return _clients[installation.Key] = client.WithToken(token, (method, error) => Refused(installation, method, error));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: installed in {Workspace} ({Name}; org-wide: {EnterpriseInstall})")]
    private partial void LogInstalled(string workspace, string name, bool enterpriseInstall);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: {Method} refused the token of {Workspace} with {Error}; the installation is forgotten and its digests are paused. Install the app there again (/slack/install) and subscribe again")]
    private partial void LogRefused(string workspace, string method, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: the token of {Workspace} cannot be decrypted (were the Data Protection keys next to the store lost?); install the app there again")]
    private partial void LogUnreadable(string workspace);
}

/// <summary>The store of single-token mode: nothing is ever installed through the install flow.</summary>
file sealed class NoInstallations : IInstallationStore
{
    public void Save(ChatInstallation installation) => throw new NotSupportedException("Single-token mode keeps no installations.");

    public ChatInstallation? Find(ChatPlatform platform, string key) => null;

    public IReadOnlyList<ChatInstallation> All(ChatPlatform platform) => [];

    public bool Remove(ChatPlatform platform, string key) => false;
}
