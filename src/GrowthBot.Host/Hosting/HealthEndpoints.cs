using GrowthBot.Core.Metrics;

namespace GrowthBot.Host.Hosting;

/// <summary><c>GET /healthz</c>: 200 with what the engine holds once the store is loaded, 503 before.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapGrowthBotHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (StoreStartup startup, IMetricEngine engine) =>
        {
            if (!startup.Ready) return Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            var statistics = engine.Statistics;
            return Results.Json(new
            {
                status = "ok",
                customers = statistics.Customers,
                subscriptionMovements = statistics.SubscriptionMovements,
                responses = statistics.Responses,
                indexedFrom = startup.LoadedFromSnapshot ? "snapshot" : "store",
            });
        });
        return endpoints;
    }
}
