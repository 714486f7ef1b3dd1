using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrowthBot.Host.Api;

/// <summary>Where a running host on a store answers, and its loopback key.</summary>
internal sealed record HostFileContent(string Url, string Key, int ProcessId);

/// <summary>
/// <c>{store}.host</c>: written by a host once it listens, removed when it stops, so a command-line
/// verb that finds the store locked can reach the host that holds it. Only the owner can read it
/// (it holds <see cref="Auth.LocalHostKey"/>). A file left by a killed host does no harm: it is only
/// read while the store's lock is held, i.e. while a host is running on it.
/// </summary>
internal static class HostFile
{
    public static string PathFor(string storePath) => Path.GetFullPath(storePath) + ".host";

    public static void Write(string storePath, HostFileContent content)
    {
        var path = PathFor(storePath);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, content, HostFileJson.Default.HostFileContent);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static HostFileContent? Read(string storePath)
    {
        try
        {
            using var stream = File.OpenRead(PathFor(storePath));
            return JsonSerializer.Deserialize(stream, HostFileJson.Default.HostFileContent);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public static void Delete(string storePath)
    {
        try
        {
            File.Delete(PathFor(storePath));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Harmless: a stale file is ignored once the store's lock is free.
        }
    }
}

[JsonSerializable(typeof(HostFileContent))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class HostFileJson : JsonSerializerContext;
