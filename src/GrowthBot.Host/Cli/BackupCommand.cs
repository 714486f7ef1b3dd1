using System.Net;
using System.Net.Http.Headers;
using GrowthBot.Host.Api;
using GrowthBot.Host.Hosting;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot backup FILE [--db PATH]</c>: a consistent copy of the store, taken while the host
/// runs. The host holds the file, so the copy is asked of it (its <c>POST /internal/backup</c>,
/// with the key in <c>{store}.host</c>); with no host running the command copies the store itself.
/// The store's data-protection keys (<c>{store}.keys</c>, which the stored platform tokens need)
/// are copied beside the backup as <c>FILE.keys</c>. docs/production.md says how to restore.
/// </summary>
internal static class BackupCommand
{
    public const string Usage = "growthbot backup FILE [--db PATH]";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db" }, new HashSet<string>());
        if (arguments.Positionals.Count != 1) throw new UsageException($"Usage: {Usage}");
        var target = Path.GetFullPath(arguments.Positionals[0]);
        if (File.Exists(target) || Directory.Exists(target)) throw new UsageException($"{target} already exists; give a new file name (a backup never overwrites).");
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder)) throw new UsageException($"The folder {folder} does not exist.");
        var storage = context.StorageFor(arguments);

        LiteGrowthStore store;
        try
        {
            store = LiteGrowthStore.OpenExisting(storage);
        }
        catch (StoreLockedException) when (HostFile.Read(storage.Path) is { } host)
        {
            context.Error.WriteLine($"A GrowthBot host holds {Path.GetFullPath(storage.Path)}; asking it at {host.Url} for a backup.");
            var code = FromHost(context, host, target);
            return code == ExitCodes.Ok ? CopyKeys(context, storage.Path, target) : code;
        }
        long bytes;
        using (store)
        {
            try
            {
                bytes = StoreBackup.WriteTo(store, target);
            }
            catch (IOException exception)
            {
                context.Error.WriteLine($"The backup could not be written: {exception.Message}. Nothing was left at {target}.");
                return ExitCodes.BadData;
            }
        }
        context.Output.WriteLine($"Backed up {Path.GetFullPath(storage.Path)} ({bytes} bytes) to {target}.");
        return CopyKeys(context, storage.Path, target);
    }

    private static int FromHost(CliContext context, HostFileContent host, string target)
    {
        using var client = context.HttpClientFor(host.Url);
        // A large store takes as long as it takes to copy.
        client.Timeout = Timeout.InfiniteTimeSpan;
        using var request = new HttpRequestMessage(HttpMethod.Post, BackupEndpoints.Path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.Key);
        HttpResponseMessage response;
        try
        {
            response = client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        }
        catch (HttpRequestException exception)
        {
            context.Error.WriteLine($"The host at {host.Url} does not answer ({exception.Message}); no backup was made.");
            return ExitCodes.HostUnavailable;
        }
        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                context.Error.WriteLine($"The host at {host.Url} refused the backup ({(int)response.StatusCode}): {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
                return ExitCodes.HostUnavailable;
            }
            var partial = target + ".partial";
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using (var file = new FileStream(partial, options))
                {
                    response.Content.CopyToAsync(file).GetAwaiter().GetResult();
                    file.Flush(flushToDisk: true);
                }
                File.Move(partial, target);
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                File.Delete(partial);
                context.Error.WriteLine($"The backup could not be received or written: {exception.Message}. Nothing was left at {target}.");
                return ExitCodes.HostUnavailable;
            }
            context.Output.WriteLine($"Backed up the running host's store ({new FileInfo(target).Length} bytes) to {target}.");
            return ExitCodes.Ok;
        }
    }

    /// <summary>The data-protection keys beside the store, copied to <c>FILE.keys</c> (owner-only, as they are).</summary>
    private static int CopyKeys(CliContext context, string storePath, string target)
    {
        var keys = new DirectoryInfo(DataProtectionKeys.Directory(storePath));
        if (!keys.Exists) return ExitCodes.Ok;
        var copy = Directory.CreateDirectory(target + ".keys");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(copy.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in keys.GetFiles()) file.CopyTo(Path.Combine(copy.FullName, file.Name), overwrite: false);
        context.Output.WriteLine($"Copied the store's data-protection keys to {copy.FullName} (restore them beside the store as {keys.Name}).");
        return ExitCodes.Ok;
    }
}
