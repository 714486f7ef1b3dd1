using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack;

/// <summary>
/// Asks <c>auth.test</c> once at start who the bot is, so the events endpoint can ignore the
/// bot's own messages, and says in the log whether the token works.
/// </summary>
public sealed partial class SlackIdentityCache(SlackWebApiClient client, IOptions<SlackOptions> options, ILogger<SlackIdentityCache> logger) : IHostedService
{
    public SlackIdentity? Identity { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsConfigured) return;
        try
        {
            Identity = await client.AuthTestAsync(cancellationToken).ConfigureAwait(false);
            LogConnected(Identity.TeamId, Identity.UserId);
        }
        catch (SlackApiException exception)
        {
            LogAuthFailed(exception.Error, SlackApiException.Describe(exception.Error));
        }
        catch (HttpRequestException exception)
        {
            LogUnreachable(options.Value.ApiBaseUrl, exception.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: connected to workspace {TeamId} as bot user {UserId}")]
    private partial void LogConnected(string teamId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: auth.test failed with {Error}: {Meaning}")]
    private partial void LogAuthFailed(string error, string meaning);

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack: the Web API at {BaseUrl} could not be reached: {Reason}")]
    private partial void LogUnreachable(string baseUrl, string reason);
}
