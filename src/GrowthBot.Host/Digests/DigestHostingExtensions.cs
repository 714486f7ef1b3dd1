using GrowthBot.Core.Digests;
using Quartz;

namespace GrowthBot.Host.Digests;

/// <summary>
/// Digests in the host: settings, the chart renderer, and Quartz to fire them. With LiteDB (one host)
/// Quartz keeps its triggers in memory, rebuilt from the store at every start. With PostgreSQL
/// (<c>Storage__Provider=postgres</c>, possibly several hosts) it keeps them in that database, in
/// its clustered AdoJobStore, so each trigger fires on one host and a dead host's triggers move to
/// a live one (<see cref="SchedulerClusterOptions"/>). The delivery log still decides what is sent:
/// it keeps each (subscription, period) once whichever host fires it.
/// </summary>
internal static class DigestHostingExtensions
{
    public static IServiceCollection AddGrowthBotDigestScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SchedulerClusterOptions>().BindConfiguration(SchedulerClusterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ITrendChartRenderer, ScottPlotTrendChart>();
        services.AddGrowthBotDigests();
        var clusteredOn = SharedDatabase(configuration);
        // Bound here as well as above: Quartz's store is chosen while services are added, before any
        // options object exists. The validated copy above refuses bad values at start all the same.
        var cluster = configuration.GetSection(SchedulerClusterOptions.SectionName).Get<SchedulerClusterOptions>() ?? new SchedulerClusterOptions();
        services.AddQuartz(quartz =>
        {
            if (clusteredOn is null) UseMemoryStore(quartz);
            else UseClusteredStore(quartz, clusteredOn, cluster);
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = 16);
        });
        services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        services.AddSingleton<QuartzDigestTriggers>();
        services.AddSingleton<IDigestTriggers>(provider => provider.GetRequiredService<QuartzDigestTriggers>());
        services.AddHostedService(provider => provider.GetRequiredService<QuartzDigestTriggers>());
        return services;
    }

    /// <summary>The PostgreSQL connection string when the store is shared (<c>Storage__Provider=postgres</c>), else null.</summary>
    public static string? SharedDatabase(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (Hosting.StorageProviderOptions.Parse(configuration["Storage:Provider"]) != Hosting.StoreProvider.Postgres) return null;
        var connectionString = configuration["Storage:ConnectionString"];
        // The store refuses to start without it and says so; the scheduler has nothing to add.
        return string.IsNullOrWhiteSpace(connectionString) ? null : connectionString;
    }

    /// <summary>One host: triggers in memory.</summary>
    public static void UseMemoryStore(IQuartzBuilder quartz)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        // Many channels often share one time; fires that wait for a thread are still on time
        // within the threshold, and later ones are left to the sweep.
        quartz.UseInMemoryStore(store => store.MisfireThreshold = MisfireThreshold);
    }

    /// <summary>
    /// Several hosts: triggers in the shared PostgreSQL database (tables made by the store's migration
    /// 0002, from Quartz's own schema; Quartz only checks them), clustered. Quartz runs on the
    /// container's <see cref="TimeProvider"/>, as the in-memory store does.
    /// </summary>
    public static void UseClusteredStore(IQuartzBuilder quartz, string connectionString, SchedulerClusterOptions cluster)
    {
        ArgumentNullException.ThrowIfNull(quartz);
        ArgumentNullException.ThrowIfNull(cluster);
        quartz.UsePersistentStore(store =>
        {
            // Npgsql's own factory: the store's driver, no lookup by name.
            store.UsePostgres(Npgsql.NpgsqlFactory.Instance, connectionString);
            store.UseClustering(clustering =>
            {
                clustering.CheckinInterval = cluster.CheckinInterval;
                clustering.CheckinMisfireThreshold = cluster.CheckinMisfireThreshold;
            });
            store.ConfigureStore(options =>
            {
                options.MisfireThreshold = MisfireThreshold;
                // The job data is one subscription id: readable strings, no serializer and no type names in the database.
                options.StoreJobDataAsStrings = true;
            });
        });
    }

    private static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(5);
}
