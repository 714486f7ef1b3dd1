using GrowthBot.Core.Digests;
using Quartz;

namespace GrowthBot.Host.Digests;

/// <summary>Digests in the host: settings, the chart renderer, and Quartz (in memory; the store is the record) to fire them.</summary>
internal static class DigestHostingExtensions
{
    public static IServiceCollection AddGrowthBotDigestScheduling(this IServiceCollection services)
    {
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ITrendChartRenderer, ScottPlotTrendChart>();
        services.AddGrowthBotDigests();
        services.AddQuartz(quartz =>
        {
            // Many channels often share one time; fires that wait for a thread are still on time
            // within the threshold, and later ones are left to the sweep.
            quartz.UseInMemoryStore(store => store.MisfireThreshold = TimeSpan.FromMinutes(5));
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = 16);
        });
        services.AddQuartzHostedService(hosted => hosted.WaitForJobsToComplete = true);
        services.AddSingleton<QuartzDigestTriggers>();
        services.AddSingleton<IDigestTriggers>(provider => provider.GetRequiredService<QuartzDigestTriggers>());
        services.AddHostedService(provider => provider.GetRequiredService<QuartzDigestTriggers>());
        return services;
    }
}
