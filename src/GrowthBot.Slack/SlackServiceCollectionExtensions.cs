using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Inbound;
using GrowthBot.Slack.WebApi;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Slack;

/// <summary>Registers the Slack adapter; <see cref="SlackEndpoints.MapSlack"/> maps its routes.</summary>
public static class SlackServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotSlack(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // One client for the whole process, so per-channel pacing sees every post (and, through the store's IChannelPaceStore, every host's).
        services.AddHttpClient(nameof(SlackWebApiClient), (provider, client) =>
            client.Timeout = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>().Value.RequestTimeout);
        services.AddSingleton(provider => new SlackWebApiClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(SlackWebApiClient)),
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<SlackOptions>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SlackWebApiClient>>(),
            provider.GetService<IChannelPaceStore>()));
        // Installation tokens are encrypted with Data Protection; the host decides where its keys live (next to the store).
        services.AddDataProtection();
        services.AddSingleton<SlackDigestPauses>();
        services.AddSingleton<Installations.SlackInstallations>();
        services.AddSingleton<Installations.SlackInstallFlow>();
        services.AddSingleton<Installations.SlackTokenRotation>();
        services.AddHostedService(provider => provider.GetRequiredService<Installations.SlackTokenRotation>());
        services.AddSingleton<SlackIdentityCache>();
        services.AddHostedService(provider => provider.GetRequiredService<SlackIdentityCache>());
        services.AddSingleton<SlackAppHome>();
        services.AddSingleton<SlackLifecycle>();
        services.AddSingleton<SlackInbound>();
        services.AddSingleton<SocketMode.SlackSocketModeClient>();
        services.AddHostedService(provider => provider.GetRequiredService<SocketMode.SlackSocketModeClient>());
        services.AddSingleton<IChatReplier, SlackReplier>();
        services.AddSingleton<IChatSender, SlackChatSender>();
        services.AddSingleton<SlackRequesterDirectory>();
        services.AddSingleton<IRequesterDirectory>(provider => provider.GetRequiredService<SlackRequesterDirectory>());
        services.AddSingleton<SlackConversationAudience>();
        services.AddSingleton<IConversationAudience>(provider => provider.GetRequiredService<SlackConversationAudience>());
        return services;
    }
}
