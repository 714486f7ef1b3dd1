using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;
using GrowthBot.Storage.Contract.Support;
using GrowthBot.Tests.Postgres;

namespace GrowthBot.Storage.Contract.Postgres;

/// <summary>
/// Two hosts on one database (two stores, two connection pools): the database, not a process lock,
/// decides who opens a case, who owns it and who posts it.
/// </summary>
[Collection(PostgresServerGroup.Name)]
[Trait("Category", "Postgres")]
public sealed class PostgresSharedFollowUpTests(PostgresServer server) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly PostgresProvider _provider = new(server);

    public void Dispose() => _provider.Dispose();

    private static FollowUpCase Case(string response) => new(
        FollowUpCase.IdFor("acme", new DateOnly(2026, 11, 23)), "acme", new DateOnly(2026, 11, 23), SurveyKind.Nps, 3, null, response,
        Now, Now, new ChatAddress(ChatPlatform.Slack, "C0SUCCESS", "T:T0ONE"));

    [Fact]
    public void TwoHosts_OpeningClaimingAndPostingAtOnce_EndWithOneCaseOneOwnerAndOnePost()
    {
        using var first = _provider.Open();
        using var second = _provider.Open();
        var hosts = new[] { first.FollowUps, second.FollowUps };

        var opened = Enumerable.Range(0, 8).AsParallel().Select(i => hosts[i % 2].Open(Case($"r{i}"))).ToList();
        var id = opened[0].Case.Id;
        var posts = Enumerable.Range(0, 8).AsParallel().Select(i => hosts[i % 2].TryStartPosting(id, "run-" + (i % 2), Now, TimeSpan.FromMinutes(2))).Count(claim => claim is not null);
        var claims = Enumerable.Range(0, 8).AsParallel().Select(i => hosts[i % 2].TryClaim(id, $"U{i}", null, Now)).ToList();

        Assert.Single(opened, result => result.Opened);
        Assert.Equal(7, first.FollowUps.Find(id)!.LaterAnswers);
        Assert.Equal((1, 1), (posts, second.FollowUps.Find(id)!.PostAttempts));
        var winner = Assert.Single(claims, result => result.Outcome == ClaimOutcome.Claimed);
        Assert.Equal(winner.Case!.ClaimedBy, second.FollowUps.Find(id)!.ClaimedBy);
    }
}
