using System.Globalization;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Surveys;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack;

/// <summary>
/// The Home tab (<c>views.publish</c> when someone opens it). Staff see the digests of the channels
/// they are in with when each posts next, the metric targets, the recent survey runs with their
/// response rates, and example questions. Anyone else sees only that the bot sends surveys: no
/// metric, target or survey figure.
/// </summary>
public sealed class SlackAppHome(
    Installations.SlackInstallations installations,
    SlackRequesterDirectory directory,
    IAccessPolicy access,
    ISubscriptionStore subscriptions,
    ISurveyStore surveys,
    TimeProvider time,
    IOptions<SlackOptions> options)
{
    private const int RecentRuns = 5;
    private const string Examples = "\"churn this month\", \"NPS vs last quarter\", \"CAC by channel since March\", \"MRR trend\", \"how is NRR calculated?\"";

    public async Task PublishAsync(string userId, string teamId, string? workspace, CancellationToken cancellationToken)
    {
        var client = installations.For(workspace);
        var requester = await directory.ResolveAsync(new Requester(ChatPlatform.Slack, userId, teamId, IsGuest: false, Workspace: workspace), cancellationToken).ConfigureAwait(false);
        var view = access.IsStaff(requester) ? await StaffViewAsync(client, userId, workspace, cancellationToken).ConfigureAwait(false) : OutsiderView();
        await client.PublishHomeAsync(userId, BlockKitRenderer.Render(view).Blocks, cancellationToken).ConfigureAwait(false);
    }

    private static ChatMessage OutsiderView()
    {
        const string text = "I send short surveys (NPS, CSAT, CES) here from time to time. Thank you for answering them: every answer goes straight to the team.";
        return new ChatMessage(text, [new HeaderBlock("GrowthBot"), new TextBlock(text)]);
    }

    private async Task<ChatMessage> StaffViewAsync(SlackWebApiClient client, string userId, string? workspace, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var command = options.Value.CommandName;
        var blocks = new List<ChatBlock>
        {
            new HeaderBlock("GrowthBot"),
            new TextBlock($"Ask me in words, in a DM, by mentioning me or with {command}: {Examples}."),
            new DividerBlock(),
            new HeaderBlock("Digests in your channels"),
        };
        var lines = new List<string>();
        // Only this workspace's digests (and, with the single configured token, those saved without one).
        foreach (var subscription in subscriptions.All().Where(subscription => subscription.Platform == ChatPlatform.Slack &&
                     (subscription.Workspace is null || subscription.Workspace == workspace)))
        {
            IReadOnlyList<string> members;
            SlackChannel channel;
            try
            {
                channel = await client.ConversationInfoAsync(subscription.ConversationId, cancellationToken).ConfigureAwait(false);
                members = await client.ConversationMembersAsync(subscription.ConversationId, cancellationToken).ConfigureAwait(false);
            }
            catch (SlackApiException)
            {
                continue; // a channel the bot can no longer see is not the person's to manage here
            }
            if (!members.Contains(userId, StringComparer.Ordinal)) continue;
            var name = channel.Name is null ? subscription.ConversationId : "#" + channel.Name;
            var when = subscription.PausedReason is { } paused
                ? $"paused ({paused})"
                : TimeZoneInfo.TryFindSystemTimeZoneById(subscription.TimeZone, out var zone)
                    ? $"{subscription.Schedule.Describe()}; next {TimeZoneInfo.ConvertTime(DigestCalendar.Next(subscription.Schedule, zone, now), zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture)} ({subscription.TimeZone})"
                    : subscription.Schedule.Describe();
            lines.Add($"• {name}: {subscription.Subject}, {when}");
        }
        blocks.Add(new TextBlock(lines.Count == 0
            ? $"None yet. In a channel, \"{command} subscribe marketing on mondays 09:00\" posts the marketing digest there every week."
            : string.Join("\n", lines)));

        var targets = subscriptions.Targets();
        blocks.Add(new HeaderBlock("Targets"));
        blocks.Add(targets.Count == 0
            ? new TextBlock($"No targets set. \"{command} target nps 45\" sets one; digests then say whether each metric is on target.")
            : new FieldsBlock([.. targets.OrderBy(target => target.Key).Select(target => new ChatField(MetricCatalog.Get(target.Key).Name, target.Value.ToString(CultureInfo.InvariantCulture)))]));

        blocks.Add(new HeaderBlock("Recent surveys"));
        var runs = surveys.Runs().OrderByDescending(run => run.StartedAt).Take(RecentRuns).ToList();
        blocks.Add(new TextBlock(runs.Count == 0
            ? $"No survey runs yet. \"{command} survey nps @person\" asks someone."
            : string.Join("\n", runs.Select(run => Describe(SurveyRunStatus.Of(run, surveys.InvitationsOfRun(run.Id)))))));
        return new ChatMessage("GrowthBot: your digests, targets and surveys", blocks);
    }

    private static string Describe(SurveyRunStatus status)
    {
        var rate = status.Rate is { } value ? value.ToString("P0", CultureInfo.InvariantCulture) : "nothing sent yet";
        var topic = string.IsNullOrWhiteSpace(status.Run.Topic) ? string.Empty : $" ({status.Run.Topic})";
        return $"• {status.Kind.ToString().ToUpperInvariant()}{topic}, started {status.Run.StartedAt.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}: " +
               $"{status.Answered} of {status.Sent} answered, response rate {rate}";
    }
}
