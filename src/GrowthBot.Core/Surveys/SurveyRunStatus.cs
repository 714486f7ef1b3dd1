using GrowthBot.Core.Data;

namespace GrowthBot.Core.Surveys;

/// <summary>
/// A run's progress and response rate, added up from its invitations. <see cref="Rate"/> is
/// answered ÷ sent (null before anything was sent).
/// </summary>
public sealed record SurveyRunStatus(
    SurveyRun Run,
    int Pending,
    int Sent,
    int Failed,
    int Skipped,
    int Answered,
    int Commented,
    int Expired)
{
    public double? Rate => Sent == 0 ? null : (double)Answered / Sent;

    /// <summary>Recipients accepted but not yet prepared (linked and given an invitation) in the background.</summary>
    public int Preparing => Run.QueuedCount;

    /// <summary>True when every recipient is prepared and every invitation has been sent, failed or skipped (none waiting to go out).</summary>
    public bool DoneSending => Pending == 0 && Preparing == 0;

    public SurveyKind Kind => Run.Kind;

    public static SurveyRunStatus Of(SurveyRun run, IReadOnlyCollection<SurveyInvitation> invitations)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(invitations);
        int pending = 0, sent = 0, failed = 0, skipped = 0, answered = 0, commented = 0, expired = 0;
        foreach (var invitation in invitations)
        {
            switch (invitation.State)
            {
                case InvitationState.Pending: pending++; break;
                case InvitationState.Failed: failed++; break;
                case InvitationState.Skipped: skipped++; break;
                case InvitationState.Expired: expired++; sent++; break;
                default: sent++; break;
            }
            if (invitation.IsAnswered) answered++;
            if (!string.IsNullOrWhiteSpace(invitation.Comment)) commented++;
        }
        return new SurveyRunStatus(run, pending, sent, failed, skipped + run.SkippedFatigue, answered, commented, expired);
    }
}
