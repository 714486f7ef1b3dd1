using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Slack;

/// <summary>
/// Delivers answers in Slack. To a slash command's or button's response_url (visible only to the
/// asker): a command's answer replaces its "Working on it…", a button's answer replaces the message
/// the button was on when the answer says so. Otherwise in the conversation and thread, with
/// chat.postMessage, unless people outside the company can read it (Slack Connect, guests): then
/// with chat.postEphemeral to the asker alone, saying why. A public post shows its charts inline
/// (uploaded first, each on its own; see <see cref="SlackCharts"/>). A mention in a channel the bot is not in is answered in a DM that says
/// how to invite it. Refusals retrying cannot fix are logged with the channel and dropped;
/// transient ones are thrown so the message stays pending and is retried. Every public answer carries
/// the message's delivery id in its metadata, so a resumed message (<see cref="IncomingMessage.Resumed"/>)
/// whose answer is already in the conversation is not answered twice.
/// </summary>
public sealed partial class SlackReplier(Installations.SlackInstallations installations, SlackConversationAudience audience, ILogger<SlackReplier> logger) : IChatReplier
{
    public ChatPlatform Platform => ChatPlatform.Slack;

    public async Task ReplyAsync(IncomingMessage message, ChatMessage reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reply);
        var rendered = BlockKitRenderer.Render(reply);
        try
        {
            if (message.ReplyAddress is { } responseUrl)
            {
                var responder = installations.ForResponseUrls;
                // A slash command (no press) was acknowledged with "Working on it…": the answer takes its place.
                var replace = message.Press is null || reply.ReplacesOriginal;
                await responder.RespondAsync(responseUrl, rendered.Text, rendered.Blocks, replace, cancellationToken).ConfigureAwait(false);
                return; // private answers carry no uploaded chart: an upload would be visible to the whole channel
            }
            var client = installations.For(message.From.Workspace);
            var readers = await audience.CheckAsync(new ChatAddress(ChatPlatform.Slack, message.ConversationId, message.From.Workspace), cancellationToken).ConfigureAwait(false);
            if (!readers.OnlyStaff)
            {
                try
                {
                    await PostPrivatelyAsync(client, message, rendered, readers.Reason, cancellationToken).ConfigureAwait(false);
                }
                catch (SlackApiException exception) when (exception.Error == "not_in_channel")
                {
                    await SayHowToInviteAsync(client, message, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
            var postId = AnswerPostId(message);
            if (message.Resumed && await SlackEarlierPost.FindAsync(client, logger, message.ConversationId, message.ThreadId, postId, cancellationToken).ConfigureAwait(false) is not null) return;
            try
            {
                await SlackCharts.PostAsync(client, logger, message.ConversationId, message.ThreadId, rendered, cancellationToken, postId).ConfigureAwait(false);
            }
            catch (SlackApiException exception) when (exception.Error == "not_in_channel")
            {
                await SayHowToInviteAsync(client, message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SlackApiException exception) when (SlackChatSender.FailureOf(exception.Error) != ChatDeliveryFailure.Transient)
        {
            LogRefused(exception.Method, message.ConversationId, exception.Error, SlackApiException.Describe(exception.Error));
        }
    }

    /// <summary>The id in the metadata of the answer to <paramref name="message"/>: the same on every attempt, on every host.</summary>
    internal static string AnswerPostId(IncomingMessage message) => "answer:" + message.DeliveryId;

    private async Task PostPrivatelyAsync(SlackWebApiClient client, IncomingMessage message, SlackMessage rendered, string? reason, CancellationToken cancellationToken)
    {
        var why = $"Only you can see this: {reason ?? "people outside the company can read this channel"}, so I answer here privately.";
        var blocks = new JsonArray { new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = BlockKitRenderer.Escape(why) } } } };
        foreach (var block in rendered.Blocks) blocks.Add(block?.DeepClone());
        if (blocks.Count > Rendering.BlockKitLimits.BlocksPerMessage) blocks.RemoveAt(blocks.Count - 1);
        await client.PostEphemeralAsync(message.ConversationId, message.From.UserId, message.ThreadId, rendered.Text, blocks, cancellationToken).ConfigureAwait(false);
        LogAnsweredPrivately(message.ConversationId, message.From.UserId);
    }

    private async Task SayHowToInviteAsync(SlackWebApiClient client, IncomingMessage message, CancellationToken cancellationToken)
    {
        LogNotInChannel(message.ConversationId, message.From.UserId);
        var dm = await client.OpenDirectMessageAsync(message.From.UserId, cancellationToken).ConfigureAwait(false);
        var text = $"You mentioned me in <#{message.ConversationId}>, but I'm not a member there, so I can't answer in it. " +
                   "Invite me with `/invite @GrowthBot` in that channel (or add me from its details, Integrations → Add apps), then ask again — or ask me right here.";
        await client.PostMessageAsync(dm, null, text, null, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Slack {Method} to {Channel} refused with {Error}: {Meaning}. The answer was not delivered.")]
    private partial void LogRefused(string method, string channel, string error, string meaning);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: answered {User} in {Channel} ephemerally, because people outside the company can read that channel")]
    private partial void LogAnsweredPrivately(string channel, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Slack: mentioned in {Channel} by {User}, but not a member there; told them in a DM how to invite the bot")]
    private partial void LogNotInChannel(string channel, string user);
}
