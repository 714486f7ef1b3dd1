using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Teams;

/// <summary>Registers the Teams adapter; <c>MapTeams</c> maps its route.</summary>
public static class TeamsServiceCollectionExtensions
{
    public static IServiceCollection AddGrowthBotTeams(this IServiceCollection services)
    {
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
