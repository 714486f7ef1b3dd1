using GrowthBot.Core.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrowthBot.Core.Conversations;

/// <summary>Registers the inbound pipeline: the queue and the worker that answers what the adapters accept.</summary>
public static class ConversationServiceCollectionExtensions
{
    /// <summary>Needs an <see cref="IInbox"/> (the store) and an <see cref="IConversationHandler"/>; adapters add repliers.</summary>
    public static IServiceCollection AddGrowthBotConversations(this IServiceCollection services)
    {
        services.AddOptions<ConversationOptions>();
        services.AddSingleton<InboundMessages>();
        services.TryAddSingleton<InFlightWork>();
        services.AddHostedService(provider => provider.GetRequiredService<InFlightWork>());
        services.AddSingleton<ConversationWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<ConversationWorker>());
        return services;
    }
}
