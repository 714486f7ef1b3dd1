using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Connector;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Teams;

/// <summary>
/// Teams' typing indicator while an answer takes more than a moment, as the Bot Framework's
/// ShowTypingMiddleware does: after <see cref="Delay"/> a <c>typing</c> activity is sent as a reply
/// to the question, then again every <see cref="Period"/> (Teams shows one for about three seconds)
/// until the answer is ready. An instant answer shows nothing. Channels get none: Teams shows typing
/// in personal and group chats only. A failed indication is logged and given up, never retried.
/// </summary>
internal sealed partial class TeamsTypingIndicator(
    TeamsConnectorClient connector,
    TeamsBotIdentity identity,
    IConversationDirectory directory,
    TimeProvider time,
    ILogger<TeamsTypingIndicator> logger) : IWorkingIndicator
{
    /// <summary>How long an answer may take before the typing indicator shows.</summary>
    internal static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    /// <summary>How often it is renewed: the Activity protocol asks for no more than one every three seconds.</summary>
    internal static readonly TimeSpan Period = TimeSpan.FromSeconds(3);

    /// <summary>An answer still not ready after this long gets no more indications (it is failing, not thinking).</summary>
    internal static readonly TimeSpan Longest = TimeSpan.FromMinutes(2);

    public ChatPlatform Platform => ChatPlatform.Teams;

    public async Task ShowWhileWorkingAsync(IncomingMessage message, CancellationToken answered)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Press is not null || message.ThreadId is null) return;
        if (!Uri.TryCreate(message.ReplyAddress, UriKind.Absolute, out var serviceUrl)) return;
        if (directory.Find(ChatPlatform.Teams, message.ConversationId)?.Kind == ConversationKind.Channel) return;
        if (TeamsThread.Decode(message.ConversationId, message.ThreadId) is not { } thread) return;
        try
        {
            await Task.Delay(Delay, time, answered).ConfigureAwait(false);
            for (var shown = TimeSpan.Zero; shown < Longest; shown += Period)
            {
                var typing = new JsonObject { ["type"] = "typing" };
                if (identity.BotId is { } botId) typing["from"] = new JsonObject { ["id"] = botId };
                await connector.ReplyAsync(serviceUrl, thread.ConversationId, thread.ReplyToId, typing, answered).ConfigureAwait(false);
                await Task.Delay(Period, time, answered).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (answered.IsCancellationRequested)
        {
            // The answer is ready: the indicator has done its job.
        }
        catch (ChatDeliveryException exception)
        {
            LogTypingFailed(message.ConversationId, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teams: the typing indicator for {Conversation} was not shown: {Reason}")]
    private partial void LogTypingFailed(string conversation, string reason);
}
