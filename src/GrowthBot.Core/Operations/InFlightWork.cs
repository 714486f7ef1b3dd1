using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Core.Operations;

/// <summary>
/// Graceful stop for everything that sends. The workers stop taking new work when the host asks
/// them to stop (their own stopping token), but what they have already started — a post to Slack
/// or Teams that may be half-way there — runs on <see cref="Abandoned"/> instead, which is cancelled
/// only when the host's shutdown timeout has passed. A send cut off by the stop token is the bug
/// this fixes: the platform may have carried it out without the bot recording it, so the next
/// start sends it again (two invitations, a question answered twice). Whatever is still running
/// when the timeout passes is left for the next start and logged by kind.
/// </summary>
/// <remarks>
/// Registered as a lifecycle service: <see cref="StoppingAsync"/> runs before any service's
/// StopAsync and gets the host's stop token, which the host cancels after its ShutdownTimeout.
/// </remarks>
public sealed partial class InFlightWork(ILogger<InFlightWork> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _abandoned = new();
    private readonly Dictionary<string, int> _running = new(StringComparer.Ordinal);
    private CancellationTokenRegistration _timeout;
    private bool _stopping;
    private int _gaveUp;

    /// <summary>Cancelled when the shutdown timeout has passed: work still running then is given up and left for the next start.</summary>
    public CancellationToken Abandoned => _abandoned.Token;

    /// <summary>What is running now, by kind (for the metrics' queue depth and the stop log).</summary>
    public IReadOnlyDictionary<string, int> Running
    {
        get
        {
            lock (_running) return new Dictionary<string, int>(_running, StringComparer.Ordinal);
        }
    }

    /// <summary>Counts one piece of work of <paramref name="kind"/> (such as "answer") until the returned handle is disposed.</summary>
    public IDisposable Begin(string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        lock (_running) _running[kind] = _running.GetValueOrDefault(kind) + 1;
        return new Handle(this, kind);
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        lock (_running) _stopping = true;
        var running = Running;
        if (running.Count > 0)
        {
            var described = Describe(running);
            LogDraining(described);
        }
        _timeout = cancellationToken.Register(GiveUp);
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var left = Running;
        if (left.Count > 0)
        {
            // Work still running here means the stop token was cancelled, but a token runs its
            // callbacks newest first: a service's wait on it may have ended (and the host reached
            // this point) before GiveUp, registered earlier, ran. Give up here so the cancel and
            // its log line never depend on that order.
            GiveUp();
            var (count, described) = (left.Values.Sum(), Describe(left));
            LogLeft(count, described);
        }
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The shutdown timeout passed: cancel what is still running (it stays pending in the store) and say what, once.</summary>
    internal void GiveUp()
    {
        if (Interlocked.Exchange(ref _gaveUp, 1) == 1) return;
        var left = Running;
        if (left.Count > 0)
        {
            var (count, described) = (left.Values.Sum(), Describe(left));
            LogGivingUp(count, described);
        }
        try
        {
            _abandoned.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The host is already disposed: nothing is left to cancel.
        }
    }

    public void Dispose()
    {
        _timeout.Dispose();
        _abandoned.Dispose();
    }

    private void End(string kind)
    {
        bool drained;
        lock (_running)
        {
            var count = _running.GetValueOrDefault(kind) - 1;
            if (count <= 0) _running.Remove(kind);
            else _running[kind] = count;
            drained = _stopping && _running.Count == 0;
        }
        if (drained) LogDrained();
    }

    private static string Describe(IReadOnlyDictionary<string, int> running) =>
        string.Join(", ", running.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Value} {pair.Key}"));

    private sealed class Handle(InFlightWork owner, string kind) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.End(kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new work is taken; finishing what is in flight ({InFlight}) within the shutdown timeout (Host__ShutdownTimeoutSeconds)")]
    private partial void LogDraining(string inFlight);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: everything in flight has finished")]
    private partial void LogDrained();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown timeout passed with {Count} sends still in flight ({InFlight}); they are cancelled and left pending for the next start")]
    private partial void LogGivingUp(int count, string inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped with {Count} sends left for the next start ({InFlight})")]
    private partial void LogLeft(int count, string inFlight);
}
