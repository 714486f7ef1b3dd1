using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>Accepted campaigns prepared in the background: in chunks, resumed after a restart, never sent twice.</summary>
public sealed class CampaignPreparerTests : IDisposable
{
    private const int People = 1_200;
    private readonly SurveyWorld _world = new();

    private static List<SurveyRecipient> Recipients(int count) =>
        Enumerable.Range(0, count).Select(index => new SurveyRecipient($"C{(index % 3) + 1}", ChatPlatform.Slack, $"U-{index:D5}")).ToList();

    [Fact]
    public void Accept_WritesOnlyTheRunWithItsQueue_AndStatusSaysPreparing()
    {
        var run = _world.Campaigns.Accept(SurveyKind.Nps, "onboarding", "command line", Recipients(People));

        Assert.Equal(People, _world.Store.FindRun(run.Id)!.QueuedCount);
        Assert.Empty(_world.Store.InvitationsOfRun(run.Id));
        var status = _world.Campaigns.Status(run.Id)!;
        Assert.Equal(People, status.Preparing);
        Assert.False(status.DoneSending);
    }

    [Fact]
    public async Task PrepareQueued_LinksEveryRecipientAndPlansOneInvitationEach_ThenTheSchedulerSendsThem()
    {
        var run = _world.Campaigns.Accept(SurveyKind.Nps, null, "command line", [.. Recipients(People), .. Recipients(5)]);

        _world.Preparer.PrepareQueued(CancellationToken.None);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        Assert.Null(_world.Store.FindRun(run.Id)!.Queued);
        Assert.Equal("C2", _world.Store.FindRecipient(ChatPlatform.Slack, "U-00001")!.CustomerId);
        var status = _world.Campaigns.Status(run.Id)!;
        Assert.Equal(People, status.Sent);
        Assert.True(status.DoneSending);
        Assert.Equal(People, _world.Slack.Sent.Count);
    }

    [Fact]
    public async Task PrepareChunk_HostStoppedBeforeTheRunWasSaved_PreparesTheChunkAgainWithoutResendingOrDuplicating()
    {
        var accepted = _world.Campaigns.Accept(SurveyKind.Csat, null, "command line", Recipients(People));
        // First chunk prepared and sent; then the host "stops" before the run with the shorter queue
        // is saved: the store still has the run as accepted.
        _world.Preparer.PrepareChunk(accepted);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);
        _world.Store.SaveRun(accepted);
        Assert.Equal(CampaignPreparer.ChunkSize, _world.Slack.Sent.Count);

        // After the restart a new preparer resumes from the store.
        using var restarted = new CampaignPreparer(_world.Store, _world.Options, _world.Scheduler, _world.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CampaignPreparer>.Instance);
        restarted.PrepareQueued(CancellationToken.None);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        var invitations = _world.Store.InvitationsOfRun(accepted.Id);
        Assert.Equal(People, invitations.Count);
        Assert.Equal(People, _world.Slack.Sent.Count);
        Assert.Equal(People, _world.Slack.Sent.Select(sent => sent.Address.ConversationId).Distinct().Count());
        var status = _world.Campaigns.Status(accepted.Id)!;
        Assert.Equal((People, 0, 0), (status.Sent, status.Skipped, status.Preparing));
    }

    [Fact]
    public async Task PrepareQueued_PeopleAskedWithinTheFatigueWindow_AreSkippedAndCounted()
    {
        await _world.SendAsync(SurveyKind.Nps, "U1");
        var run = _world.Campaigns.Accept(SurveyKind.Nps, null, "command line",
            [new SurveyRecipient("C1", ChatPlatform.Slack, "U1"), new SurveyRecipient("C2", ChatPlatform.Slack, "U2")]);

        _world.Preparer.PrepareQueued(CancellationToken.None);
        await _world.Scheduler.RunDueAsync(CancellationToken.None);

        var status = _world.Campaigns.Status(run.Id)!;
        Assert.Equal((1, 1), (status.Sent, status.Skipped));
    }

    public void Dispose() => _world.Dispose();
}
