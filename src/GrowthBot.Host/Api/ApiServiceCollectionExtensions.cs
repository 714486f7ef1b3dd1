using GrowthBot.Host.Api.Auth;

namespace GrowthBot.Host.Api;

/// <summary>The HTTP API under <c>/api/v1</c>: API keys, the import endpoint, the key endpoints and their OpenAPI description.</summary>
internal static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddGrowthBotApiKeys();
        services.AddHostedService<HostFilePublisher>();
        services.AddOpenApi();
        services.AddSingleton<PrometheusMetrics>();
        return services;
    }

    /// <summary>Maps <c>/api/v1/…</c> and <c>GET /openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapGrowthBotApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");
        api.MapImport();
        api.MapApiKeys();
        api.MapStripeBackfill();
        endpoints.MapOpenApi();
        endpoints.MapGrowthBotMetrics();
        endpoints.MapGrowthBotBackup();
        return endpoints;
    }
}
