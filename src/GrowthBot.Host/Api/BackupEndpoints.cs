using GrowthBot.Storage;

namespace GrowthBot.Host.Api;

/// <summary>
/// <c>POST /internal/backup</c>: the running host writes a consistent copy of its store
/// (<see cref="StoreBackup"/>) and streams it back; <c>growthbot backup FILE</c> calls it with the
/// host's own key when the host holds the store. The copy is made beside the store and deleted
/// once sent, so the caller never names a path on the server.
/// </summary>
internal static partial class BackupEndpoints
{
    public const string Path = "/internal/backup";

    public static IEndpointRouteBuilder MapGrowthBotBackup(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, BackupAsync).RequireAuthorization(Auth.ApiKeyPolicies.Admin).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> BackupAsync(HttpContext http, Core.Ports.IGrowthStore growth, ILoggerFactory loggers)
    {
        // A PostgreSQL store is backed up by PostgreSQL's own tools, which copy a consistent database while hosts write.
        if (growth is not LiteGrowthStore store)
        {
            return Results.Json(new ApiError("this host's store is PostgreSQL: back it up with pg_dump (docs/postgres.md); this endpoint copies the LiteDB file"),
                ApiJson.Default.ApiError, statusCode: StatusCodes.Status409Conflict);
        }
        var logger = loggers.CreateLogger(typeof(BackupEndpoints).FullName!);
        var folder = System.IO.Path.GetDirectoryName(store.FilePath)!;
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(store.FilePath)}.backup-{Guid.NewGuid():N}");
        long bytes;
        try
        {
            bytes = await Task.Run(() => StoreBackup.WriteTo(store, temporary), http.RequestAborted).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            LogBackupFailed(logger, exception.Message);
            return Results.Json(new ApiError($"the backup could not be written beside the store ({exception.Message})"), ApiJson.Default.ApiError, statusCode: StatusCodes.Status507InsufficientStorage);
        }
        LogBackedUp(logger, bytes);
        // Deleted when the response is done (sent or broken off).
        var stream = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81_920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return Results.Stream(stream, "application/octet-stream", "growthbot-backup.db");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Online backup written: {Bytes} bytes")]
    private static partial void LogBackedUp(ILogger logger, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Online backup failed: {Reason}")]
    private static partial void LogBackupFailed(ILogger logger, string reason);
}
