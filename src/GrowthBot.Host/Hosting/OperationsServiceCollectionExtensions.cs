using GrowthBot.Core.Conversations;
using GrowthBot.Core.Operations;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>Running it in production: the bounded graceful stop and the counters.</summary>
internal static class OperationsServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotOperations(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // The host waits this long in StopAsync, then cancels its stop token, which InFlightWork turns into "give up what is left".
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = TimeSpan.FromSeconds(shutdown.Value.ShutdownTimeoutSeconds));
        services.AddOptions<ProductionRequirements>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProductionRequirements>, ProductionRequirementsValidator>();
        services.AddSingleton<GrowthBotMetrics>();
        // Every platform event passes the inbox once: count it there.
        var inbox = services.LastOrDefault(service => service.ServiceType == typeof(IInbox));
        if (inbox?.ImplementationFactory is { } factory)
        {
            services.Remove(inbox);
            services.AddSingleton<IInbox>(provider => new CountedInbox((IInbox)factory(provider), provider.GetRequiredService<GrowthBotMetrics>()));
        }
        return services;
    }
}
