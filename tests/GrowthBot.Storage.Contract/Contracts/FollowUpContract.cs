using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Follow-up cases survive a reopen, open once per customer and day, and their claims and posts are exclusive.</summary>
public abstract class FollowUpContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static FollowUpCase Case(string customer = "acme", string response = "r1", string? comment = "Too slow") => new(
        FollowUpCase.IdFor(customer, new DateOnly(2026, 11, 23)), customer, new DateOnly(2026, 11, 23), SurveyKind.Nps, 3, comment, response,
        Now.AddMinutes(-1), Now, new ChatAddress(ChatPlatform.Slack, "C0SUCCESS", "T:T0ONE"));

    [Fact]
    public void Open_RoundTripsEveryField_AndSurvivesAReopen()
    {
        var opened = Case();
        using (var store = Open())
        {
            var cases = store.FollowUps;
            Assert.True(cases.Open(opened).Opened);
            Assert.NotNull(cases.TryStartPosting(opened.Id, "run1", Now, Lease));
            cases.FinishPosting(opened.Id, "run1", FollowUpPostState.Posted, "1700000000.000100", null);
            Assert.Equal(ClaimOutcome.Claimed, cases.TryClaim(opened.Id, "U1", "Ana", Now.AddMinutes(5)).Outcome);
        }

        using var reopened = Open();
        var again = reopened.FollowUps;
        var found = again.Find(opened.Id)!;
        Assert.Equal(opened with { PostState = FollowUpPostState.Posted, PostOwner = "run1", PostClaimedAt = Now, PostAttempts = 1, MessageId = "1700000000.000100", ClaimedBy = "U1", ClaimedByName = "Ana", ClaimedAt = Now.AddMinutes(5) }, found);
        Assert.Empty(again.Unposted());
        Assert.Equal(opened.Id, Assert.Single(again.Open()).Id);
    }

    [Fact]
    public void Open_SameCustomerSameDay_CountsOnTheFirstCase_AndAReplayNotAtAll()
    {
        using var store = Open();
        var cases = store.FollowUps;

        Assert.True(cases.Open(Case(response: "r1")).Opened);
        var (opened, second) = cases.Open(Case(response: "r2", comment: "Still slow"));
        var (replayed, _) = cases.Open(Case(response: "r2"));

        Assert.False(opened);
        Assert.False(replayed);
        Assert.Equal(1, second.LaterAnswers);
        Assert.Equal("Too slow", cases.Find(second.Id)!.Comment);
        Assert.Equal(1, cases.Find(second.Id)!.LaterAnswers);
        Assert.Single(cases.Open());
    }

    [Fact]
    public void Open_LaterAnswersCounted_AreKeptAcrossOtherChanges()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case(response: "r1")).Case.Id;
        cases.Open(Case(response: "r2"));
        cases.TryStartPosting(id, "run1", Now, Lease);
        cases.TryClaim(id, "U1", null, Now);

        var (_, replayed) = cases.Open(Case(response: "r2"));
        var (_, third) = cases.Open(Case(response: "r3"));

        Assert.Equal(1, replayed.LaterAnswers);
        Assert.Equal(2, third.LaterAnswers);
        Assert.Equal(("U1", 2), (cases.Find(id)!.ClaimedBy, cases.Find(id)!.LaterAnswers));
    }

    [Fact]
    public void Open_TheSameAnswerWithItsComment_AddsTheComment_AndAPostedCaseIsToBeRedrawn()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case(comment: null)).Case.Id;
        cases.TryStartPosting(id, "run1", Now, Lease);
        cases.FinishPosting(id, "run1", FollowUpPostState.Posted, "ts1", null);

        var (opened, commented) = cases.Open(Case(comment: "Billing is confusing"));

        Assert.False(opened);
        Assert.Equal("Billing is confusing", cases.Find(id)!.Comment);
        Assert.Equal((FollowUpPostState.Pending, "ts1", 0), (commented.PostState, commented.MessageId, commented.LaterAnswers));
        Assert.Equal(id, Assert.Single(cases.Unposted()).Id);
    }

    [Fact]
    public void Open_ManyAnswersForOneCaseAtOnce_OpensItOnce_AndCountsEveryOtherAnswer()
    {
        using var store = Open();
        var cases = store.FollowUps;

        var results = Enumerable.Range(0, 12).AsParallel().Select(i => cases.Open(Case(response: $"r{i}"))).ToList();

        Assert.Single(results, result => result.Opened);
        Assert.Equal(11, cases.Find(Case().Id)!.LaterAnswers);
        Assert.Single(cases.Open());
    }

    [Fact]
    public void TryClaim_TwoPeopleAtOnce_EndWithOneOwner()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;

        var results = Enumerable.Range(0, 16).AsParallel().Select(i => cases.TryClaim(id, $"U{i}", null, Now)).ToList();

        var winner = Assert.Single(results, result => result.Outcome == ClaimOutcome.Claimed);
        Assert.All(results.Where(result => result != winner), result => Assert.Equal(ClaimOutcome.TakenByOther, result.Outcome));
        Assert.Equal(winner.Case!.ClaimedBy, cases.Find(id)!.ClaimedBy);
        Assert.Equal(ClaimOutcome.AlreadyYours, cases.TryClaim(id, winner.Case.ClaimedBy!, null, Now).Outcome);
    }

    [Fact]
    public void TryClaim_UnknownOrResolved_SaySo()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;
        cases.Resolve(id, "U2", null, "done", Now);

        Assert.Equal((ClaimOutcome.Unknown, null), (cases.TryClaim("fu-none", "U1", null, Now).Outcome, cases.TryClaim("fu-none", "U1", null, Now).Case));
        Assert.Equal(ClaimOutcome.Resolved, cases.TryClaim(id, "U1", null, Now).Outcome);
        Assert.Null(cases.TryStartPosting("fu-none", "run1", Now, Lease));
        Assert.Null(cases.FinishPosting("fu-none", "run1", FollowUpPostState.Posted, "ts", null));
    }

    [Fact]
    public void TryStartPosting_IsGrantedOncePerRun_AndToAnotherRunOnlyOnceTheLeaseHasRunOut()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;

        Assert.NotNull(cases.TryStartPosting(id, "run1", Now, Lease));
        Assert.Null(cases.TryStartPosting(id, "run1", Now, Lease));
        Assert.Single(cases.Unposted());
        // run1's post is in flight (on another host, say): left to it until its claim is a lease old.
        Assert.Null(cases.TryStartPosting(id, "run2", Now.AddSeconds(119.999), Lease));
        var retaken = cases.TryStartPosting(id, "run2", Now + Lease, Lease);
        Assert.Equal((2, "run2", Now + Lease), (retaken!.PostAttempts, retaken.PostOwner, retaken.PostClaimedAt));
        Assert.Null(cases.TryStartPosting(id, "run3", Now + Lease + TimeSpan.FromSeconds(1), Lease));
        cases.FinishPosting(id, "run2", FollowUpPostState.Posted, "ts", null);
        Assert.Null(cases.TryStartPosting(id, "run3", Now + Lease * 3, Lease));
    }

    [Fact]
    public void TryStartPosting_TheLeaseIsReadFromTheStoreAfterAReopen()
    {
        string id;
        using (var store = Open())
        {
            id = store.FollowUps.Open(Case()).Case.Id;
            Assert.NotNull(store.FollowUps.TryStartPosting(id, "run1", Now, Lease));
        }

        using var reopened = Open();
        Assert.Null(reopened.FollowUps.TryStartPosting(id, "run2", Now.AddMinutes(1), Lease));
        Assert.NotNull(reopened.FollowUps.TryStartPosting(id, "run2", Now.AddMinutes(2), Lease));
    }

    [Fact]
    public void FinishPosting_ByARunWhoseClaimWasTakenOver_ChangesNothing()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;
        cases.TryStartPosting(id, "slow-run", Now, Lease);
        cases.TryStartPosting(id, "run2", Now + Lease, Lease);

        Assert.Null(cases.FinishPosting(id, "slow-run", FollowUpPostState.Posted, "ts-slow", null));

        Assert.Equal((FollowUpPostState.Sending, "run2", null), (cases.Find(id)!.PostState, cases.Find(id)!.PostOwner, cases.Find(id)!.MessageId));
        var finished = cases.FinishPosting(id, "run2", FollowUpPostState.Posted, "ts2", null);
        Assert.Equal((FollowUpPostState.Posted, "ts2"), (finished!.PostState, finished.MessageId));
        Assert.Null(cases.FinishPosting(id, "run2", FollowUpPostState.Pending, null, "again"));
        Assert.Equal(FollowUpPostState.Posted, cases.Find(id)!.PostState);
    }

    [Fact]
    public void FinishPosting_PostedWhileTheCommentArrived_LeavesTheCasePendingWithItsMessageId_ForARedraw()
    {
        using (var store = Open())
        {
            var cases = store.FollowUps;
            var id = cases.Open(Case(comment: null)).Case.Id;
            cases.TryStartPosting(id, "run1", Now, Lease);

            // The customer's comment comes while the first post, drawn without it, is in flight.
            var (_, commented) = cases.Open(Case(comment: "Billing is confusing"));

            Assert.Equal((FollowUpPostState.Sending, true), (commented.PostState, commented.RedrawOwed));
            Assert.Null(cases.TryStartPosting(id, "run2", Now, Lease));
        }

        using var reopened = Open();
        var again = reopened.FollowUps;
        var caseId = Case().Id;
        Assert.True(again.Find(caseId)!.RedrawOwed);
        var finished = again.FinishPosting(caseId, "run1", FollowUpPostState.Posted, "ts1", null)!;
        Assert.Equal((FollowUpPostState.Pending, "ts1", false, "Billing is confusing"), (finished.PostState, finished.MessageId, finished.RedrawOwed, finished.Comment));
        Assert.Equal(finished, again.Find(caseId));
        var redraw = again.TryStartPosting(caseId, "run1", Now.AddSeconds(1), Lease)!;
        Assert.Equal(("ts1", "Billing is confusing"), (redraw.MessageId, redraw.Comment));
        Assert.Equal(FollowUpPostState.Posted, again.FinishPosting(caseId, "run1", FollowUpPostState.Posted, "ts1", null)!.PostState);
    }

    [Fact]
    public void FinishPosting_AFailedPostWhileTheCommentArrived_IsPendingAndOwesNoSeparateRedraw()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case(comment: null)).Case.Id;
        cases.TryStartPosting(id, "run1", Now, Lease);
        cases.Open(Case(comment: "Billing is confusing"));

        var finished = cases.FinishPosting(id, "run1", FollowUpPostState.Pending, null, "ratelimited")!;

        // The next try draws the case as it is, comment and all.
        Assert.Equal((FollowUpPostState.Pending, null, false, "ratelimited"), (finished.PostState, finished.MessageId, finished.RedrawOwed, finished.PostError));
    }

    [Fact]
    public void TryClaimAndResolve_WhileThePostIsInFlight_OweARedraw_AndNotOtherwise()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var inFlight = cases.Open(Case()).Case.Id;
        var posted = cases.Open(Case(customer: "globex")).Case.Id;
        cases.TryStartPosting(inFlight, "run1", Now, Lease);
        cases.TryStartPosting(posted, "run1", Now, Lease);
        cases.FinishPosting(posted, "run1", FollowUpPostState.Posted, "ts2", null);

        Assert.True(cases.TryClaim(inFlight, "U1", "Ana", Now).Case!.RedrawOwed);
        Assert.False(cases.TryClaim(posted, "U1", "Ana", Now).Case!.RedrawOwed);
        Assert.False(cases.Resolve(posted, "U1", "Ana", "done", Now)!.RedrawOwed);
        Assert.Equal(FollowUpPostState.Posted, cases.Find(posted)!.PostState);
        Assert.True(cases.Find(inFlight)!.RedrawOwed);
    }

    [Fact]
    public void TryStartPosting_ManyAtOnce_IsGrantedToOne()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;

        var granted = Enumerable.Range(0, 12).AsParallel().Select(i => cases.TryStartPosting(id, $"run{i}", Now, Lease)).Where(claim => claim is not null).ToList();

        Assert.Single(granted);
        Assert.Equal(1, cases.Find(id)!.PostAttempts);
        Assert.Equal(granted[0]!.PostOwner, cases.Find(id)!.PostOwner);
    }

    [Fact]
    public void Resolve_ClosesOnce_AndTouchedFindsOpenedAndClosedInAPeriod()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;
        var other = cases.Open(Case(customer: "globex")).Case.Id;

        var resolved = cases.Resolve(id, "U2", "Bo", "Called them; fixed the export", Now.AddDays(8));

        Assert.Equal("U2", resolved!.ClaimedBy);
        Assert.Null(cases.Resolve(id, "U3", null, "again", Now.AddDays(9)));
        Assert.Equal([other], cases.Open().Select(followUp => followUp.Id));
        Assert.Equal(2, cases.Touched(Now, Now.AddDays(1)).Count);
        Assert.Equal([id], cases.Touched(Now.AddDays(7), Now.AddDays(14)).Select(followUp => followUp.Id));
    }

    [Fact]
    public void Touched_IsHalfOpen_AtTheMillisecond()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;
        cases.Resolve(id, "U2", null, "done", Now.AddDays(1).AddTicks(3_456));

        Assert.Empty(cases.Touched(Now.AddMilliseconds(1), Now.AddDays(1)));
        Assert.Equal([id], cases.Touched(Now.AddDays(1), Now.AddDays(1).AddMilliseconds(1)).Select(followUp => followUp.Id));
        Assert.Equal(Now.AddDays(1), cases.Find(id)!.ResolvedAt);
    }
}
