using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Storage.Tests;

/// <summary>
/// Invitations are cached after their commit so a press reads its invitation without a query; the
/// cache must never answer with anything but what the file holds.
/// </summary>
public sealed class InvitationCacheTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    private static SurveyInvitation Invited(string id) =>
        new(id, "nps-1", SurveyKind.Nps, "C1", ChatPlatform.Slack, "U-" + id, null, InvitationState.Invited, Now, Now, Now, Now.AddDays(7));

    [Fact]
    public void FindInvitation_ReadTwice_IsServedFromTheCache()
    {
        using var store = _temp.Open();
        var surveys = new LiteSurveyStore(store);
        surveys.SaveInvitations([Invited("a")]);

        Assert.Same(surveys.FindInvitation("a"), surveys.FindInvitation("a"));
    }

    [Fact]
    public void FindInvitation_AfterEverySave_ReturnsTheLatest()
    {
        using var store = _temp.Open();
        var surveys = new LiteSurveyStore(store);
        surveys.SaveInvitations([Invited("a")]);
        Assert.Equal(InvitationState.Invited, surveys.FindInvitation("a")!.State);

        surveys.SaveInvitations([Invited("a") with { State = InvitationState.Scored, Score = 9 }]);
        Assert.Equal(9, surveys.FindInvitation("a")!.Score);

        surveys.SaveInvitations([Invited("a") with { State = InvitationState.Scored, Score = 4 }]);
        Assert.Equal(4, surveys.FindInvitation("a")!.Score);
    }

    [Fact]
    public void FindInvitation_AfterASaveThatFailed_ReturnsWhatTheFileHolds()
    {
        using var store = _temp.Open();
        var surveys = new LiteSurveyStore(store);
        surveys.SaveInvitations([Invited("a")]);
        Assert.Null(surveys.FindInvitation("a")!.Score);

        // The second invitation cannot be stored (no id), so the whole transaction rolls back.
        Assert.ThrowsAny<Exception>(() => surveys.SaveInvitations([Invited("a") with { Score = 9, State = InvitationState.Scored }, Invited(null!)]));

        Assert.Null(surveys.FindInvitation("a")!.Score);
    }

    [Fact]
    public void FindInvitation_AfterASaveInsideACallersTransaction_IsReadFromTheFile()
    {
        using var store = _temp.Open();
        var surveys = new LiteSurveyStore(store);
        surveys.SaveInvitations([Invited("a")]);
        Assert.NotNull(surveys.FindInvitation("a"));

        // The save joins the caller's transaction, whose outcome the survey store does not see.
        store.Database.BeginTrans();
        surveys.SaveInvitations([Invited("a") with { Score = 9, State = InvitationState.Scored }]);
        store.Database.Rollback();

        Assert.Null(surveys.FindInvitation("a")!.Score);
    }

    [Fact]
    public void AddInvitations_NewOnesAreFoundAndExistingOnesKeepTheirState()
    {
        using var store = _temp.Open();
        var surveys = new LiteSurveyStore(store);
        surveys.SaveInvitations([Invited("a") with { State = InvitationState.Scored, Score = 7 }]);
        Assert.Equal(7, surveys.FindInvitation("a")!.Score);

        Assert.Equal(1, surveys.AddInvitations([Invited("a"), Invited("b")]));

        Assert.Equal(7, surveys.FindInvitation("a")!.Score);
        Assert.Equal(InvitationState.Invited, surveys.FindInvitation("b")!.State);
    }

    [Fact]
    public void RememberRead_AfterAWriteSinceTheRead_KeepsTheWrittenVersion()
    {
        var cache = new InvitationCache(capacity: 10);
        var versionBeforeRead = cache.Version;
        cache.Committed([Invited("a") with { Score = 9 }]);

        cache.RememberRead(Invited("a"), versionBeforeRead);

        Assert.True(cache.TryGet("a", out var cached));
        Assert.Equal(9, cached.Score);
    }

    [Fact]
    public void Committed_BeyondCapacity_StartsAgainWithTheNewest()
    {
        var cache = new InvitationCache(capacity: 2);
        cache.Committed([Invited("a"), Invited("b"), Invited("c")]);

        Assert.True(cache.TryGet("c", out _));
        Assert.False(cache.TryGet("a", out _));
    }

    [Fact]
    public void Abandon_NothingIsCachedAfterwards()
    {
        var cache = new InvitationCache(capacity: 10);
        cache.Committed([Invited("a")]);

        cache.Abandon();
        cache.Committed([Invited("b")]);
        cache.RememberRead(Invited("c"), cache.Version);

        Assert.False(cache.TryGet("a", out _));
        Assert.False(cache.TryGet("b", out _));
        Assert.False(cache.TryGet("c", out _));
    }

    public void Dispose() => _temp.Dispose();
}
