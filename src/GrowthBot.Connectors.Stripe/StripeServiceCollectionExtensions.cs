using GrowthBot.Connectors.Stripe.Backfill;
using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Connectors.Stripe;

/// <summary>Registers the Stripe connector's settings (validated at start) and its backfill; <see cref="Inbound.StripeEndpoints.MapStripe"/> maps its webhook.</summary>
public static class StripeServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotStripe(this IServiceCollection services)
    {
        services.AddOptions<StripeOptions>().BindConfiguration(StripeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<StripeBackfill>();
        return services;
    }
}
