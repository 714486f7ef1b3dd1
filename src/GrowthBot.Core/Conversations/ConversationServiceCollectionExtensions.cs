using Microsoft.Extensions.DependencyInjection;

namespace GrowthBot.Core.Conversations;

/// <summary>Registers the inbound pipeline: the queue and the worker that answers what the adapters accept.</summary>
public static class ConversationServiceCollectionExtensions
{
    /// <summary>Needs an <see cref="IInbox"/> (the store) and an <see cref="IConversationHandler"/>; adapters add repliers.</summary>
    public static IServiceCollection AddGrowthBotConversations(this IServiceCollection services)
    {
        services.AddOptions<ConversationOptions>();
        services.AddSingleton<InboundMessages>();
        services.AddSingleton<ConversationWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<ConversationWorker>());
        return services;
    }
}
