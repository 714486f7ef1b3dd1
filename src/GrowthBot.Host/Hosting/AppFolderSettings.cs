using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// The settings files shipped beside the executable (<c>appsettings.json</c>, <c>appsettings.{Environment}.json</c>),
/// read whatever the working directory. The host's content root is the working directory, so a host
/// started from another folder (a systemd unit without WorkingDirectory, a shell in /) would miss
/// them and run with .NET's defaults, which log every request. The application folder's files are
/// added just before the content root's, so a content root that does have its own files still wins,
/// and environment variables and the command line still override both.
/// </summary>
internal static class AppFolderSettings
{
    public static void Add(IConfigurationBuilder configuration, IHostEnvironment environment, string appFolder)
    {
        if (SameFolder(environment.ContentRootPath, appFolder)) return;
        var sources = configuration.Sources;
        var first = sources.Select((source, index) => (source, index))
            .FirstOrDefault(pair => pair.source is JsonConfigurationSource { Path: { } path } && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase));
        var at = first.source is null ? 0 : first.index;
        var files = new PhysicalFileProvider(appFolder);
        sources.Insert(at, new JsonConfigurationSource { FileProvider = files, Path = $"appsettings.{environment.EnvironmentName}.json", Optional = true });
        sources.Insert(at, new JsonConfigurationSource { FileProvider = files, Path = "appsettings.json", Optional = true });
    }

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal);
}
