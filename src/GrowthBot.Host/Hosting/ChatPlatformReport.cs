namespace GrowthBot.Host.Hosting;

/// <summary>Says at start which chat platforms have credentials, and how to configure the others. Never logs a secret.</summary>
internal sealed partial class ChatPlatformReport(IConfiguration configuration, ILogger<ChatPlatformReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Report("Slack", "Slack:BotToken", "Slack:SigningSecret", "Slack__BotToken and Slack__SigningSecret");
        Report("Teams", "Teams:AppId", "Teams:AppPassword", "Teams__AppId and Teams__AppPassword");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report(string platform, string firstKey, string secondKey, string variables)
    {
        var configured = !string.IsNullOrWhiteSpace(configuration[firstKey]) && !string.IsNullOrWhiteSpace(configuration[secondKey]);
        if (configured) LogConfigured(platform);
        else LogNotConfigured(platform, variables);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform}: configured")]
    private partial void LogConfigured(string platform);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Platform}: not configured (set {Variables} to connect it)")]
    private partial void LogNotConfigured(string platform, string variables);
}
