using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Connectors.Stripe;

/// <summary>Registers the Stripe connector's settings (validated at start); <see cref="Inbound.StripeEndpoints.MapStripe"/> maps its webhook.</summary>
public static class StripeServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotStripe(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
