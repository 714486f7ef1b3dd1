using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

/// <summary>
/// A press holds its invitation's lock until its answer is committed, so the locks must be exact:
/// presses on different invitations never wait for each other, presses on one invitation take turns.
/// </summary>
public sealed class SurveyLocksTests
{
    [Fact]
    public async Task ManyDifferentInvitations_AreAllHeldAtOnce()
    {
        var locks = new SurveyLocks();
        // More invitations than any striped lock table would have stripes.
        var held = Enumerable.Range(0, 500).Select(i => locks.EnterAsync($"nps-1-U{i:D6}", CancellationToken.None)).ToList();

        Assert.All(held, entered => Assert.True(entered.IsCompletedSuccessfully));
        foreach (var entered in held) (await entered).Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task OneInvitation_SecondPressWaitsUntilTheFirstIsDone()
    {
        var locks = new SurveyLocks();
        var first = await locks.EnterAsync("inv-a", CancellationToken.None);

        var second = locks.EnterAsync("inv-a", CancellationToken.None);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task AWaitCancelled_LeavesTheLockUsable_AndNothingBehind()
    {
        var locks = new SurveyLocks();
        var first = await locks.EnterAsync("inv-a", CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = locks.EnterAsync("inv-a", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();

        Assert.Equal(0, locks.Count);
        (await locks.EnterAsync("inv-a", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
