using GrowthBot.Host.Api.Auth;
using GrowthBot.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GrowthBot.Host.Api;

/// <summary>Writes <see cref="HostFile"/> once the server listens and removes it when the host stops.</summary>
internal sealed partial class HostFilePublisher(
    IServer server,
    Core.Ports.IGrowthStore growth,
    LocalHostKey key,
    IHostApplicationLifetime lifetime,
    ILogger<HostFilePublisher> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Command-line verbs find a host through its LiteDB file; a PostgreSQL host is reached with --host.
        if (growth is not LiteGrowthStore store) return Task.CompletedTask;
        lifetime.ApplicationStarted.Register(() => Publish(store));
        lifetime.ApplicationStopping.Register(() => HostFile.Delete(store.FilePath));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Publish(LiteGrowthStore store)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = LoopbackUrl(addresses) ?? "http://localhost/";
        try
        {
            HostFile.Write(store.FilePath, new HostFileContent(url, key.Key, Environment.ProcessId));
            var path = HostFile.PathFor(store.FilePath);
            LogPublished(path, url);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogNotPublished(exception.Message);
        }
    }

    /// <summary>An address the command line on this machine can reach: wildcards become 127.0.0.1, http preferred.</summary>
    internal static string? LoopbackUrl(IEnumerable<string> addresses)
    {
        var candidates = addresses
            .Select(address => address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
                .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal))
            .Where(address => Uri.TryCreate(address, UriKind.Absolute, out _))
            .OrderBy(address => address.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ToList();
        return candidates.FirstOrDefault();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Command-line verbs on this store reach the host through {Path} ({Url})")]
    private partial void LogPublished(string path, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the host file ({Reason}); command-line imports need --host and an API key while the host runs")]
    private partial void LogNotPublished(string reason);
}
