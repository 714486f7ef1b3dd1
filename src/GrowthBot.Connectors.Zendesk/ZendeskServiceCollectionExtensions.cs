using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Connectors.Zendesk;

/// <summary>Registers the Zendesk connector's settings (validated at start); <see cref="Inbound.ZendeskEndpoints.MapZendesk"/> maps its webhook.</summary>
public static class ZendeskServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotZendesk(this IServiceCollection services)
    {
        services.AddOptions<ZendeskOptions>().BindConfiguration(ZendeskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
