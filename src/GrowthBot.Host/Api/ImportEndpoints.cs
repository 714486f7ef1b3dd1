using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Api.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace GrowthBot.Host.Api;

/// <summary>
/// <c>POST /api/v1/import/{kind}</c>: the same import as <c>growthbot import</c> (Core's
/// <see cref="ImportService"/>, so the same validation, all-or-nothing transaction and idempotence),
/// for a body in CSV, a JSON array or NDJSON, read as it arrives. 200 with the counts; 401/403 from
/// the key; 404 for an unknown kind; 413 above <see cref="ApiOptions.MaxImportBytes"/>; 415 for
/// another content type; 422 with every bad row and nothing written; 503 while the store cannot write (disk full).
/// </summary>
internal static partial class ImportEndpoints
{
    public static RouteGroupBuilder MapImport(this RouteGroupBuilder api)
    {
        api.MapPost("/import/{kind}", Import)
            .RequireAuthorization(ApiKeyPolicies.Ingest)
            .WithName("Import")
            .WithSummary("Imports customers, subscriptions, orders, spend, tickets or responses (CSV, JSON array or NDJSON; all rows or none).")
            // Described here rather than with Accepts(), whose content-type check would answer 415 before the
            // endpoint and without saying which types and columns it takes.
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = ImportBodyDescription.Create();
                return Task.CompletedTask;
            })
            .Produces<ImportResult>(StatusCodes.Status200OK)
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status403Forbidden)
            .Produces<ApiError>(StatusCodes.Status404NotFound)
            .Produces<ApiError>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ApiError>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ImportRefused>(StatusCodes.Status422UnprocessableEntity)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task<IResult> Import(string kind, HttpContext context, ImportService importer, IOptions<ApiOptions> options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ImportEndpoints).FullName!);
        if (!ImportKinds.TryParse(kind, out var importKind))
        {
            return Error(StatusCodes.Status404NotFound, $"unknown import kind '{kind}': use one of {string.Join(", ", ImportKinds.Names)}");
        }
        if (!TryFormat(context.Request.ContentType, out var format))
        {
            return Error(StatusCodes.Status415UnsupportedMediaType,
                "send text/csv, application/json (an array of objects) or application/x-ndjson (one object per line), with the columns of " +
                $"{ImportKinds.NameOf(importKind)}: {string.Join(",", ImportKinds.ColumnsOf(importKind))}");
        }
        var limit = options.Value.MaxImportBytes;
        if (context.Request.ContentLength > limit) return TooLarge(limit);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;

        var body = new LimitedStream(context.Request.Body, limit);
        ImportReport report;
        try
        {
            report = await importer.ImportAsync(importKind, format, body, new WritingLogger(logger, ImportKinds.NameOf(importKind)), context.RequestAborted);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (StoreUnavailableException exception)
        {
            // The disk is full or failing: nothing was written, and the same file can be sent again once the store writes (GET /healthz says ok).
            LogStoreUnavailable(logger, ImportKinds.NameOf(importKind), exception.Problem);
            context.Response.Headers.RetryAfter = "30";
            return Error(StatusCodes.Status503ServiceUnavailable, $"the store cannot write right now ({exception.Problem}); nothing was written, send the file again later");
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away or sent a broken body: nothing was written (rows are written only after the whole body parsed).
            LogAborted(logger, ImportKinds.NameOf(importKind), exception.GetType().Name);
            return Error(StatusCodes.Status400BadRequest, "the body could not be read to its end; nothing was written");
        }

        var keyName = context.User.Identity?.Name ?? "?";
        var kindName = ImportKinds.NameOf(importKind);
        if (!report.Succeeded)
        {
            LogRefused(logger, kindName, keyName, report.Errors.Count);
            return Results.Json(ImportRefused.From(report), ApiJson.Default.ImportRefused, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        LogImported(logger, kindName, keyName, report.Rows, report.Inserted, report.Updated, report.Unchanged);
        return Results.Json(new ImportResult(kindName, report.Rows, report.Inserted, report.Updated, report.Unchanged), ApiJson.Default.ImportResult);
    }

    /// <summary>The import format a content type names; parameters such as charset are allowed (the body must be UTF-8).</summary>
    internal static bool TryFormat(string? contentType, out ImportFormat format)
    {
        format = ImportFormat.Csv;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        if (media.Charset.HasValue && !string.Equals(media.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase)) return false;
        switch (media.MediaType.Value?.ToLowerInvariant())
        {
            case "text/csv" or "application/csv":
                format = ImportFormat.Csv;
                return true;
            case "application/json":
                format = ImportFormat.Json;
                return true;
            case "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines":
                format = ImportFormat.Ndjson;
                return true;
            default:
                return false;
        }
    }

    private static IResult TooLarge(long limit) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {limit:N0} bytes (Api__MaxImportBytes); split the file or raise the limit. Nothing was written");

    private static IResult Error(int status, string error) => Results.Json(new ApiError(error), ApiJson.Default.ApiError, statusCode: status);

    /// <summary>Logs once when the parsed rows start going into the store (the one transaction).</summary>
    private sealed class WritingLogger(ILogger logger, string kind) : IProgress<ImportProgress>
    {
        private bool _logged;

        public void Report(ImportProgress value)
        {
            if (_logged || value.Stage != "writing") return;
            _logged = true;
            LogWriting(logger, kind, value.Total ?? value.Rows);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import of {Kind} through the API refused: the store cannot write ({Problem}); nothing was written")]
    private static partial void LogStoreUnavailable(ILogger logger, string kind, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import of {Kind} through the API: writing {Rows} rows in one transaction")]
    private static partial void LogWriting(ILogger logger, string kind, long rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Kind} through the API (key {KeyName}): {Rows} rows, {Inserted} new, {Updated} updated, {Unchanged} unchanged")]
    private static partial void LogImported(ILogger logger, string kind, string keyName, int rows, int inserted, int updated, int unchanged);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an import of {Kind} through the API (key {KeyName}): {Problems} problems, nothing written")]
    private static partial void LogRefused(ILogger logger, string kind, string keyName, int problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An import of {Kind} through the API ended before its body did ({Reason}); nothing was written")]
    private static partial void LogAborted(ILogger logger, string kind, string reason);
}
