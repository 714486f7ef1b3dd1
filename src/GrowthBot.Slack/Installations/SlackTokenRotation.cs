using GrowthBot.Core.Installations;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack.Installations;

/// <summary>
/// Slack's token rotation: when the app has it on, an installation's bot token expires (after
/// <c>expires_in</c>, 12 hours) and <c>oauth.v2.access</c> with <c>grant_type=refresh_token</c> and the
/// installation's <c>xoxe-</c> refresh token gives the next token and refresh token (the old refresh token
/// then works no more). Each token is refreshed <see cref="SlackOptions.TokenRefreshAhead"/> before it
/// expires, on the injected <see cref="TimeProvider"/>, and the new pair is stored encrypted. A refresh
/// Slack refuses for good (the refresh token revoked or unknown) forgets the installation and pauses its
/// digests, as an uninstall does; one that fails for a while is tried again a minute later.
/// </summary>
public sealed partial class SlackTokenRotation(
    SlackInstallations installations,
    SlackWebApiClient client,
    IOptions<SlackOptions> options,
    TimeProvider time,
    ILogger<SlackTokenRotation> logger) : BackgroundService
{
    /// <summary>The longest sleep: a token installed meanwhile is looked at within this time.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    // One round at a time: a refresh token works once, so two rounds refreshing the same one would lose the installation.
    private readonly SemaphoreSlim _round = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UsesInstallFlow) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan sleep;
            try
            {
                var next = await RefreshDueAsync(stoppingToken).ConfigureAwait(false);
                sleep = next is { } at ? at - time.GetUtcNow() : MaxSleep;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Rotation must outlive one bad round (a store error); it logs and tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogRoundFailed(exception);
                sleep = RetryAfterFailure;
            }
            if (sleep > MaxSleep) sleep = MaxSleep;
            if (sleep <= TimeSpan.Zero) continue;
            try
            {
                await Task.Delay(sleep, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Refreshes every token due by now; returns when the next one is due (null: none expires).</summary>
    public async Task<DateTimeOffset?> RefreshDueAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RefreshRoundAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _round.Release();
        }
    }

    public override void Dispose()
    {
        _round.Dispose();
        base.Dispose();
    }

    private async Task<DateTimeOffset?> RefreshRoundAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        DateTimeOffset? next = null;
        foreach (var installation in installations.Expiring())
        {
            var due = installation.TokenExpiresAt!.Value - settings.TokenRefreshAhead;
            if (due > time.GetUtcNow())
            {
                next = next is null || due < next ? due : next;
                continue;
            }
            var retry = await RefreshAsync(installation, settings, cancellationToken).ConfigureAwait(false);
            if (retry is { } again) next = next is null || again < next ? again : next;
        }
        return next;
    }

    /// <summary>Refreshes one installation's token; returns when to try again if it failed for now.</summary>
    private async Task<DateTimeOffset?> RefreshAsync(ChatInstallation installation, SlackOptions settings, CancellationToken cancellationToken)
    {
        if (installations.RefreshTokenOf(installation) is not { } refreshToken) return null; // logged: the keys were lost, install again
        SlackOAuthAccess access;
        try
        {
            access = await client.OAuthV2RefreshAsync(settings.ClientId!, settings.ClientSecret!, refreshToken, cancellationToken).ConfigureAwait(false);
        }
        catch (SlackApiException exception) when (IsForGood(exception.Error))
        {
            installations.Revoke(installation.Key, $"Slack refused to refresh the workspace's token ({exception.Error})");
            LogRefused(installation.Key, exception.Error, SlackApiException.Describe(exception.Error));
            return null;
        }
        catch (SlackApiException exception)
        {
            LogFailed(installation.Key, exception.Error, SlackApiException.Describe(exception.Error), RetryAfterFailure.TotalSeconds);
            return time.GetUtcNow() + RetryAfterFailure;
        }
        if (installations.Rotated(installation, access, time.GetUtcNow())) LogRotated(installation.Key, access.ExpiresIn!.Value);
        return null;
    }

    /// <summary>
    /// Refusals that mean the installation's refresh token will never work again. The app's own credentials
    /// being wrong (bad_client_secret, invalid_client_id) are the admin's to fix and say nothing about the workspace.
    /// </summary>
    private static bool IsForGood(string error) =>
        error is "invalid_refresh_token" or "invalid_grant" or "token_revoked" or "invalid_auth" or "account_inactive";

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: refreshed the token of {Workspace}; the new one expires in {Seconds} s")]
    private partial void LogRotated(string workspace, int seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: refreshing the token of {Workspace} was refused with {Error} ({Meaning}); the installation is forgotten and its digests are paused. Install the app there again (/slack/install)")]
    private partial void LogRefused(string workspace, string error, string meaning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack: refreshing the token of {Workspace} failed with {Error} ({Meaning}); trying again in {Seconds} s")]
    private partial void LogFailed(string workspace, string error, string meaning, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: a token rotation round failed; trying again in a minute")]
    private partial void LogRoundFailed(Exception exception);
}
