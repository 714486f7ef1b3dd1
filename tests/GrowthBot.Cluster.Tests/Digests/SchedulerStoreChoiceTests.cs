using GrowthBot.Host.Digests;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace GrowthBot.Cluster.Tests.Digests;

/// <summary>The store setting chooses Quartz's: clustered in PostgreSQL for shared hosts, in memory for the LiteDB host.</summary>
[Collection(ClusterDatabase.Name)]
[Trait("Category", "Postgres")]
public sealed class SchedulerStoreChoiceTests(PostgresServer server)
{
    [Fact]
    public async Task PostgresStore_RunsQuartzClusteredInThatDatabase_WithTheConfiguredCheckins()
    {
        var connectionString = await ClusterDatabase.MigratedAsync(server);
        var meta = await MetaDataAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "postgres",
            ["Storage:ConnectionString"] = connectionString,
            ["Scheduler:CheckinInterval"] = "00:00:04",
        });

        Assert.True(meta.JobStoreClustered);
        Assert.True(meta.JobStorePersistent);
    }

    [Fact]
    public async Task LiteDbStore_KeepsQuartzInMemory()
    {
        var meta = await MetaDataAsync(new Dictionary<string, string?> { ["Storage:Path"] = "unused.db" });

        Assert.False(meta.JobStoreClustered);
        Assert.False(meta.JobStorePersistent);
    }

    private static async Task<SchedulerMetadata> MetaDataAsync(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGrowthBotDigestScheduling(configuration);
        await using var provider = services.BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler();
        try
        {
            return await scheduler.GetMetadata();
        }
        finally
        {
            await scheduler.Shutdown(false);
        }
    }
}
