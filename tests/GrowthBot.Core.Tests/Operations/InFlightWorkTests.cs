using GrowthBot.Core.Operations;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Tests.Operations;

public sealed class InFlightWorkTests
{
    [Fact]
    public async Task HostStopTokenCancelled_AbandonsTheWork_AndLogsWhatWasLeftByKind()
    {
        var logs = new ListLogger();
        using var work = new InFlightWork(logs);
        using var answer = work.Begin("answer");
        using var digest = work.Begin("digest");
        using var secondAnswer = work.Begin("answer");
        using var hostStopping = new CancellationTokenSource();

        await work.StoppingAsync(hostStopping.Token);
        Assert.False(work.Abandoned.IsCancellationRequested);          // stopping alone lets work finish
        await hostStopping.CancelAsync();                              // the shutdown timeout passed

        Assert.True(work.Abandoned.IsCancellationRequested);
        Assert.Contains("finishing what is in flight (2 answer, 1 digest)", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains("Shutdown timeout passed with 3 sends still in flight (2 answer, 1 digest)", logs.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkFinishingDuringTheStop_IsReportedDrained_AndNothingIsAbandoned()
    {
        var logs = new ListLogger();
        using var work = new InFlightWork(logs);
        var answer = work.Begin("answer");
        using var hostStopping = new CancellationTokenSource();

        await work.StoppingAsync(hostStopping.Token);
        answer.Dispose();
        answer.Dispose();                                              // a second dispose counts nothing
        await work.StoppedAsync(CancellationToken.None);

        Assert.Empty(work.Running);
        Assert.False(work.Abandoned.IsCancellationRequested);
        Assert.Equal(2, logs.Lines.Count);
        Assert.Contains("everything in flight has finished", logs.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostReachesStoppedBeforeTheTimeoutCallbackRan_StillAbandonsAndLogsTheTimeoutOnce()
    {
        // The host's wait on its stop token can end before InFlightWork's own callback on that
        // token runs (callbacks run newest first), so StoppedAsync may see work still running.
        var logs = new ListLogger();
        using var work = new InFlightWork(logs);
        using var answer = work.Begin("answer");
        using var hostStopping = new CancellationTokenSource();

        await work.StoppingAsync(hostStopping.Token);
        await work.StoppedAsync(CancellationToken.None);
        await hostStopping.CancelAsync();                              // the callback runs late: nothing more is said

        Assert.True(work.Abandoned.IsCancellationRequested);
        Assert.Equal(3, logs.Lines.Count);
        Assert.Contains("Shutdown timeout passed with 1 sends still in flight (1 answer)", logs.Lines[1], StringComparison.Ordinal);
        Assert.Contains("Stopped with 1 sends left for the next start (1 answer)", logs.Lines[2], StringComparison.Ordinal);
    }

    private sealed class ListLogger : ILogger<InFlightWork>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
