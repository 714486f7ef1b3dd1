using GrowthBot.Storage.Postgres;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// On PostgreSQL: keeps this host's metric engine following the other hosts' writes (LISTEN/NOTIFY, and a
/// poll every <c>Storage__FollowInterval</c>) from the moment <see cref="StoreStartup"/> has loaded it.
/// </summary>
internal sealed class GrowthFollowService(PostgresGrowthFollower follower) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => follower.RunAsync(stoppingToken);
}
