namespace GrowthBot.Host.Hosting;

/// <summary>
/// Keeps credentials out of the logs whatever the log levels are set to. A Slack <c>response_url</c>
/// is a credential in a URL (whoever holds it can post into that conversation for 30 minutes), and
/// .NET's HttpClient logging writes every request URL at Information; the server's request lines
/// (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>, Information) carry query strings such as
/// the OAuth <c>code</c> on <c>/slack/oauth_redirect</c> and signed image links. Neither is
/// needed: the adapters log what they send and receive themselves, by id.
/// </summary>
internal static class LogHygiene
{
    public const string RequestLinesCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public static IServiceCollection AddGrowthBotLogHygiene(this IServiceCollection services)
    {
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        // Added after the configuration's rules, so it wins over a Logging:LogLevel entry of the same category.
        services.Configure<LoggerFilterOptions>(options => options.Rules.Add(
            new LoggerFilterRule(providerName: null, RequestLinesCategory, LogLevel.Warning, filter: null)));
        return services;
    }
}
