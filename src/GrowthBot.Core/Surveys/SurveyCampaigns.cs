using System.Globalization;
using System.Security.Cryptography;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;

namespace GrowthBot.Core.Surveys;

/// <summary>What starting a campaign did: the run (null when nobody could be asked), and who was left out and why.</summary>
public sealed record CampaignStart(SurveyRun? Run, int Invited, int SkippedFatigue, IReadOnlyList<SurveyTarget> Unknown);

/// <summary>
/// Starts campaigns and reports on them. Starting one records the run and an invitation per
/// person (in the store, so sending resumes after a restart) and wakes the
/// <see cref="SurveyScheduler"/>, which sends them in the background at the platforms' pace.
/// People not linked to a customer are not asked (their responses could not be linked to a
/// customer, segment or channel); people asked this survey within its fatigue window are skipped.
/// </summary>
public sealed class SurveyCampaigns(ISurveyStore store, SurveyOptions options, SurveyScheduler scheduler, TimeProvider time, CampaignPreparer? preparer = null)
{
    /// <summary>
    /// Accepts a campaign to recipients given with their customers (the command line's and the API's
    /// way), with one write: the run and its queue of recipients. Linking them and planning their
    /// invitations takes milliseconds per person, so the <see cref="CampaignPreparer"/> does it in the
    /// background and the caller follows the run's progress. Duplicate people are asked once.
    /// </summary>
    public SurveyRun Accept(SurveyKind kind, string? topic, string startedBy, IReadOnlyCollection<SurveyRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        if (preparer is null) throw new InvalidOperationException("Accepting a campaign needs the campaign preparer (AddGrowthBotSurveys registers it).");
        var now = time.GetUtcNow();
        var queued = recipients.DistinctBy(recipient => (recipient.Platform, recipient.UserId)).ToList();
        var run = new SurveyRun(NewRunId(kind, now), kind, NullIfBlank(topic), startedBy, now, SurveyRunSource.Campaign, recipients.Count, 0, [], queued);
        store.SaveRun(run);
        preparer.Wake();
        return run;
    }

    /// <summary>
    /// Starts a campaign to people named in a chat command. <paramref name="workspace"/> is the installation the
    /// command came from: the people were named there, so it reaches them (their link's workspace otherwise).
    /// </summary>
    public CampaignStart Start(SurveyKind kind, string? topic, string startedBy, IReadOnlyCollection<SurveyTarget> targets, string? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var now = time.GetUtcNow();
        var runId = NewRunId(kind, now);
        var window = options.For(kind).FatigueWindow;
        var unknown = new List<SurveyTarget>();
        var invitations = new List<SurveyInvitation>();
        var skipped = 0;
        foreach (var target in targets.Distinct())
        {
            if (store.FindRecipient(target.Platform, target.UserId) is not { } recipient)
            {
                unknown.Add(target);
                continue;
            }
            if (!SurveyStateMachine.FatigueAllows(store.InvitationsOf(target.Platform, target.UserId), kind, window, now))
            {
                skipped++;
                continue;
            }
            invitations.Add(new SurveyInvitation(
                SurveyInvitation.IdFor(runId, target.Platform, target.UserId), runId, kind, recipient.CustomerId,
                target.Platform, target.UserId, NullIfBlank(topic), InvitationState.Pending, now, now, Workspace: workspace ?? recipient.Workspace));
        }
        if (invitations.Count == 0 && skipped == 0) return new CampaignStart(null, 0, 0, unknown);

        var run = new SurveyRun(runId, kind, NullIfBlank(topic), startedBy, now, SurveyRunSource.Campaign, targets.Count, skipped,
            unknown.Select(target => target.UserId).ToList());
        store.SaveRun(run);
        store.SaveInvitations(invitations);
        scheduler.Wake();
        return new CampaignStart(run, invitations.Count, skipped, unknown);
    }

    /// <summary>Every run's progress and response rate, newest first.</summary>
    public IReadOnlyList<SurveyRunStatus> Status() =>
        store.Runs().Select(run => SurveyRunStatus.Of(run, store.InvitationsOfRun(run.Id))).ToList();

    public SurveyRunStatus? Status(string runId) =>
        store.FindRun(runId) is { } run ? SurveyRunStatus.Of(run, store.InvitationsOfRun(run.Id)) : null;

    private static string NewRunId(SurveyKind kind, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind.ToString().ToLowerInvariant()}-{now:yyyyMMdd-HHmm}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
