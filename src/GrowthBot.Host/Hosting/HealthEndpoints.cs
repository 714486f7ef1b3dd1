using System.Globalization;
using GrowthBot.Core.Freshness;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Api.Auth;
using GrowthBot.Teams;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// <c>GET /healthz</c>, for load balancers and anyone: only <c>ok</c> (200), or <c>starting</c> /
/// <c>degraded</c> (503: the store is still being indexed, or cannot write). Nothing about the data.
/// <c>GET /internal/health</c>, behind the admin credential: the same status with the detail (what
/// the engine holds, the store's state, each source's freshness, which chat platforms are configured).
/// </summary>
internal static class HealthEndpoints
{
    public const string DetailPath = "/internal/health";

    public static IEndpointRouteBuilder MapGrowthBotHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (StoreStartup startup, IStoreHealth store) =>
        {
            var status = Status(startup, store.Current);
            return Results.Json(new { status }, statusCode: StatusCode(status));
        });
        endpoints.MapGet(DetailPath, (StoreStartup startup, IStoreHealth storeHealth, StoreDescription store, IMetricEngine engine, SourceFreshness freshness,
            IConfiguration configuration, IOptions<TeamsOptions> teams) =>
        {
            var state = storeHealth.Current;
            var status = Status(startup, state);
            var statistics = startup.Ready ? engine.Statistics : null;
            return Results.Json(
                new
                {
                    status,
                    customers = statistics?.Customers,
                    subscriptionMovements = statistics?.SubscriptionMovements,
                    responses = statistics?.Responses,
                    indexedFrom = startup.Ready ? (startup.LoadedFromSnapshot ? "snapshot" : "store") : null,
                    store = new { provider = store.Provider == StoreProvider.Postgres ? "postgres" : "litedb", path = store.Location, writable = state.Writable, problem = state.Problem, failingSince = state.FailingSince },
                    // When data last arrived from each source, and whether that is longer ago than its threshold (Freshness__*MaxAge).
                    sources = freshness.Status().ToDictionary(
                        source => source.Source.ToString().ToLowerInvariant(),
                        source => new { lastEventAt = source.LastEventAt, maxAge = source.MaxAge.ToString("c", CultureInfo.InvariantCulture), stale = source.Stale }),
                    platforms = new
                    {
                        slack = new { configured = ChatPlatformReport.SlackConfigured(configuration) },
                        teams = new { configured = teams.Value.IsConfigured, developmentLoopback = !teams.Value.IsConfigured && teams.Value.AllowUnauthenticatedLoopback },
                    },
                },
                statusCode: StatusCode(status));
        }).RequireAuthorization(ApiKeyPolicies.Admin);
        return endpoints;
    }

    private static string Status(StoreStartup startup, StoreHealthReport store) =>
        !startup.Ready ? "starting" : store.Writable ? "ok" : "degraded";

    private static int StatusCode(string status) => status == "ok" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
}
