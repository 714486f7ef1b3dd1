using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Follow-up cases survive a reopen, open once per customer and day, and their claims and posts are exclusive.</summary>
public abstract class FollowUpContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

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
            Assert.NotNull(cases.TryStartPosting(opened.Id, "run1", Now));
            cases.FinishPosting(opened.Id, FollowUpPostState.Posted, "1700000000.000100", null);
            Assert.Equal(ClaimOutcome.Claimed, cases.TryClaim(opened.Id, "U1", "Ana", Now.AddMinutes(5)).Outcome);
        }

        using var reopened = Open();
        var again = reopened.FollowUps;
        var found = again.Find(opened.Id)!;
        Assert.Equal(opened with { PostState = FollowUpPostState.Posted, PostOwner = "run1", PostAttempts = 1, MessageId = "1700000000.000100", ClaimedBy = "U1", ClaimedByName = "Ana", ClaimedAt = Now.AddMinutes(5) }, found);
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
        cases.TryStartPosting(id, "run1", Now);
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
        cases.TryStartPosting(id, "run1", Now);
        cases.FinishPosting(id, FollowUpPostState.Posted, "ts1", null);

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
        Assert.Null(cases.TryStartPosting("fu-none", "run1", Now));
    }

    [Fact]
    public void TryStartPosting_IsGrantedOncePerRun_AndToTheNextRunWhenLeftSending()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;

        Assert.NotNull(cases.TryStartPosting(id, "run1", Now));
        Assert.Null(cases.TryStartPosting(id, "run1", Now));
        Assert.Single(cases.Unposted());
        var retaken = cases.TryStartPosting(id, "run2", Now);
        Assert.Equal(2, retaken!.PostAttempts);
        cases.FinishPosting(id, FollowUpPostState.Posted, "ts", null);
        Assert.Null(cases.TryStartPosting(id, "run3", Now));
    }

    [Fact]
    public void TryStartPosting_ManyAtOnce_IsGrantedToOne()
    {
        using var store = Open();
        var cases = store.FollowUps;
        var id = cases.Open(Case()).Case.Id;

        var granted = Enumerable.Range(0, 12).AsParallel().Select(i => cases.TryStartPosting(id, $"run{i % 2}", Now)).Where(claim => claim is not null).ToList();

        // Two runs alternate, so one may take over a post the other left sending; every grant is counted once (no lost update).
        Assert.InRange(granted.Count, 1, 12);
        Assert.Equal(granted.Count, cases.Find(id)!.PostAttempts);
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
