using GrowthBot.Core.Freshness;
using GrowthBot.Core.Metrics;

namespace GrowthBot.Host.Hosting;

/// <summary><c>GET /healthz</c>: 200 with what the engine holds once the store is loaded, 503 before.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapGrowthBotHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (StoreStartup startup, IMetricEngine engine, SourceFreshness freshness) =>
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
                // When data last arrived from each source, and whether that is longer ago than its threshold (Freshness__*MaxAge).
                sources = freshness.Status().ToDictionary(
                    status => status.Source.ToString().ToLowerInvariant(),
                    status => new { lastEventAt = status.LastEventAt, maxAge = status.MaxAge.ToString("c", System.Globalization.CultureInfo.InvariantCulture), stale = status.Stale }),
            });
        });
        return endpoints;
    }
}
