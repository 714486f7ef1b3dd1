using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack;

/// <summary>
/// Asks <c>auth.test</c> who the bot is, so the events endpoint can ignore the bot's own messages,
/// and says in the log whether the token works. Asked at start and then again every
/// <see cref="SlackOptions.IdentityRefresh"/> (a reinstalled app gets a new bot user, a revoked token
/// should show in the log), and every minute while the last try failed, so a Slack outage at start
/// does not leave the bot without an identity until the next restart.
/// </summary>
public sealed partial class SlackIdentityCache(SlackWebApiClient client, IOptions<SlackOptions> options, TimeProvider time, ILogger<SlackIdentityCache> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _refreshing = Task.CompletedTask;
    private int _stopped;

    public SlackIdentity? Identity { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Installations from the install flow each know their bot user (oauth.v2.access, the events' authorizations).
        if (!options.Value.IsConfigured || string.IsNullOrWhiteSpace(options.Value.BotToken)) return;
        var ok = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        _refreshing = RefreshLoopAsync(ok, _stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may dispose the container (and this) before or instead of stopping it, and may stop twice.
        if (Interlocked.CompareExchange(ref _stopped, 1, 0) == 0) await _stopping.CancelAsync().ConfigureAwait(false);
        await _refreshing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _stopped, 1, 0) == 0) _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Asks auth.test now; true when it answered.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var identity = await client.AuthTestAsync(cancellationToken).ConfigureAwait(false);
            if (identity != Identity) LogConnected(identity.TeamId, identity.UserId);
            Identity = identity;
            return true;
        }
        catch (SlackApiException exception)
        {
            LogAuthFailed(exception.Error, SlackApiException.Describe(exception.Error));
            return false;
        }
    }

    private async Task RefreshLoopAsync(bool lastOk, CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(lastOk ? options.Value.IdentityRefresh : RetryAfterFailure, time, stopping).ConfigureAwait(false);
                lastOk = await RefreshAsync(stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: connected to workspace {TeamId} as bot user {UserId}")]
    private partial void LogConnected(string teamId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: auth.test failed with {Error}: {Meaning}")]
    private partial void LogAuthFailed(string error, string meaning);
}
