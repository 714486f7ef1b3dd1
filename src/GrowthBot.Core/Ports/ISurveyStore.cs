using GrowthBot.Core.Conversations;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Ports;

/// <summary>
/// The durable record of surveys: runs, invitations (including the CES invitations scheduled
/// for later, so a restart loses none), who each chat user is as a customer, and the key that
/// signs survey buttons. Responses themselves go to <see cref="IGrowthStore"/> with everything else.
/// </summary>
public interface ISurveyStore
{
    /// <summary>Records or replaces the customer each chat user answers for.</summary>
    void SaveRecipients(IReadOnlyCollection<SurveyRecipient> recipients);

    SurveyRecipient? FindRecipient(ChatPlatform platform, string userId);

    /// <summary>The chat users linked to a customer (for the CES survey after their ticket).</summary>
    IReadOnlyList<SurveyRecipient> RecipientsOf(string customerId);

    void SaveRun(SurveyRun run);

    SurveyRun? FindRun(string runId);

    /// <summary>Every run, newest first.</summary>
    IReadOnlyList<SurveyRun> Runs();

    /// <summary>Records or replaces invitations, all in one transaction.</summary>
    void SaveInvitations(IReadOnlyCollection<SurveyInvitation> invitations);

    /// <summary>Adds the invitations whose ids are new; existing ones are left as they are. Returns how many were added.</summary>
    int AddInvitations(IReadOnlyCollection<SurveyInvitation> invitations);

    SurveyInvitation? FindInvitation(string invitationId);

    IReadOnlyList<SurveyInvitation> InvitationsOfRun(string runId);

    /// <summary>Everything one person was asked, in every run (for the fatigue rule).</summary>
    IReadOnlyList<SurveyInvitation> InvitationsOf(ChatPlatform platform, string userId);

    /// <summary>Invitations still waiting for something: to be sent, reminded, answered or expired.</summary>
    IReadOnlyList<SurveyInvitation> Active();

    /// <summary>
    /// Tickets resolved at or after <paramref name="since"/> (from the store's tickets), so the CES survey after a
    /// ticket is also scheduled for tickets imported while the host was not running.
    /// </summary>
    IReadOnlyList<Data.Ticket> TicketsResolvedSince(DateTimeOffset since);

    /// <summary>The button signing key kept in the store, created with <paramref name="create"/> the first time.</summary>
    string SigningKey(Func<string> create);
}
