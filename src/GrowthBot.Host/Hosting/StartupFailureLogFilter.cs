namespace GrowthBot.Host.Hosting;

/// <summary>
/// Keeps the generic host's own "Hosting failed to start" error (with its stack trace) off the log
/// while the host starts: Program prints the one-line reason for failures the operator can fix, and
/// any other failure still ends as an unhandled exception with its stack trace. Once the host has
/// started, the host's errors (a faulted background service) are logged as usual.
/// </summary>
internal sealed class StartupFailureLogFilter(IHostApplicationLifetime lifetime) : IHostedService
{
    public const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    private static volatile bool s_started;

    /// <summary>The level filter for <see cref="HostCategory"/>.</summary>
    public static bool Allows(LogLevel level) => level >= LogLevel.Information && (s_started || level != LogLevel.Error);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => s_started = true);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
