using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.FollowUps;

namespace GrowthBot.Core.Tests.FollowUps;

/// <summary>Claim, resolve with an outcome, the followups list, and nobody but staff sees a customer.</summary>
public sealed class FollowUpActionHandlerTests
{
    private static async Task<(FollowUpWorld World, string Id)> PostedAsync()
    {
        var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3, "Too slow");
        await world.Poster.PostPendingAsync(CancellationToken.None);
        return (world, world.Store.All.Single().Id);
    }

    [Fact]
    public async Task Claim_ShowsWhoHasIt_AndASecondPersonIsToldWho()
    {
        var (world, id) = await PostedAsync();
        using var _ = world;
        world.Time.Advance(TimeSpan.FromMinutes(10));

        var claimed = await world.PressAsync(FollowUpMessages.ClaimAction, id, FollowUpWorld.Staff());
        var second = await world.PressAsync(FollowUpMessages.ClaimAction, id, FollowUpWorld.Staff("U0BO", "Bo"));
        var again = await world.PressAsync(FollowUpMessages.ClaimAction, id, FollowUpWorld.Staff());

        Assert.True(claimed!.ReplacesOriginal);
        Assert.Contains("Ana is following up (since 2026-11-23 09:10 UTC)", claimed.FallbackText, StringComparison.Ordinal);
        Assert.Equal([FollowUpMessages.ResolveAction], claimed.Blocks.OfType<ActionsBlock>().Single().Actions.Select(action => action.ActionId));
        Assert.False(second!.ReplacesOriginal);
        Assert.Contains("Ana already has this case", second.FallbackText, StringComparison.Ordinal);
        Assert.True(again!.ReplacesOriginal);
        Assert.Equal("U0ANA", world.Store.Find(id)!.ClaimedBy);
    }

    [Fact]
    public async Task Claim_ManyAtOnce_EndsWithOneOwner()
    {
        var (world, id) = await PostedAsync();
        using var _ = world;

        var replies = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => world.PressAsync(FollowUpMessages.ClaimAction, id, FollowUpWorld.Staff($"U{i}", $"Person {i}")))));

        Assert.Single(replies, reply => reply!.ReplacesOriginal);
        Assert.Equal(11, replies.Count(reply => reply!.FallbackText.Contains("already has this case", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Resolved_AsksForAnOutcome_ThenRecordsIt_AndTheButtonsGo()
    {
        var (world, id) = await PostedAsync();
        using var _ = world;
        await world.PressAsync(FollowUpMessages.ClaimAction, id, FollowUpWorld.Staff());
        world.Time.Advance(TimeSpan.FromHours(3));

        var asked = await world.PressAsync(FollowUpMessages.ResolveAction, id, FollowUpWorld.Staff());
        var empty = await world.PressAsync(FollowUpMessages.OutcomeAction, id, FollowUpWorld.Staff(), outcome: "   ");
        var resolved = await world.PressAsync(FollowUpMessages.OutcomeAction, id, FollowUpWorld.Staff(), outcome: "Called them;\nexports fixed");
        var late = await world.PressAsync(FollowUpMessages.OutcomeAction, id, FollowUpWorld.Staff("U0BO", "Bo"), outcome: "me too");

        Assert.True(asked!.ReplacesOriginal);
        var input = asked.Blocks.OfType<TextInputBlock>().Single();
        Assert.Equal(FollowUpMessages.OutcomeInput, input.InputId);
        Assert.False(input.Multiline);
        Assert.Equal([FollowUpMessages.OutcomeAction], asked.Blocks.OfType<ActionsBlock>().Single().Actions.Select(action => action.ActionId));
        Assert.Contains("one line", empty!.FallbackText, StringComparison.Ordinal);
        Assert.True(resolved!.ReplacesOriginal);
        Assert.Contains("Resolved by Ana after 3 h: Called them; exports fixed", resolved.FallbackText, StringComparison.Ordinal);
        Assert.Empty(resolved.Blocks.OfType<ActionsBlock>());
        Assert.Contains("resolved already by Ana", late!.FallbackText, StringComparison.Ordinal);
        Assert.Equal("Called them; exports fixed", world.Store.Find(id)!.Outcome);
        Assert.Empty(world.Store.Open());
    }

    [Fact]
    public async Task Press_ByNonStaff_IsRefused_AndShowsNoCustomer()
    {
        var (world, id) = await PostedAsync();
        using var _ = world;

        foreach (var action in new[] { FollowUpMessages.ClaimAction, FollowUpMessages.ResolveAction, FollowUpMessages.OutcomeAction })
        {
            var reply = await world.PressAsync(action, id, FollowUpWorld.Outsider, outcome: "x");
            Assert.DoesNotContain("globex", reply!.FallbackText, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("only share metrics with staff of Acme", reply.FallbackText, StringComparison.Ordinal);
        }
        var listed = await world.SayAsync("followups", FollowUpWorld.Outsider);
        Assert.DoesNotContain("globex", listed!.FallbackText, StringComparison.OrdinalIgnoreCase);
        Assert.Null(world.Store.Find(id)!.ClaimedBy);
    }

    [Fact]
    public async Task Followups_ListsOpenCasesWithTheirAge_OldestFirst()
    {
        using var world = new FollowUpWorld();
        world.Answer("r1", SurveyKind.Nps, "globex", 3);
        world.Time.Advance(TimeSpan.FromMinutes(30));
        world.Answer("r2", SurveyKind.Csat, "initech", 1);
        var first = world.Store.All.Single(c => c.CustomerId == "globex").Id;
        await world.PressAsync(FollowUpMessages.ClaimAction, first, FollowUpWorld.Staff());
        world.Time.Advance(TimeSpan.FromHours(26)); // globex 26.5 h old, initech 26 h

        var reply = await world.SayAsync("/followups", FollowUpWorld.Staff());

        Assert.True(world.Route.Claims(new IncomingMessage(ChatPlatform.Slack, "d", "C", null, FollowUpWorld.Staff(), "follow-ups", world.Time.GetUtcNow())));
        Assert.Contains("Open follow-ups (2)", reply!.FallbackText, StringComparison.Ordinal);
        Assert.Contains("• globex: NPS 3/10, open 1 d 2 h, Ana has it\n• initech: CSAT 1/5, open 1 d 2 h, nobody has it", reply.FallbackText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Followups_NoneOpen_SaysSo()
    {
        using var world = new FollowUpWorld();

        var reply = await world.SayAsync("followups", FollowUpWorld.Staff());

        Assert.Contains("No open follow-ups", reply!.FallbackText, StringComparison.Ordinal);
    }
}
