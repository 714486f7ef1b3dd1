using System.Text.Json.Serialization;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Import;

namespace GrowthBot.Host.Api;

/// <summary>An error the API answers with.</summary>
internal sealed record ApiError(string Error);

/// <summary>What a successful import did: rows read, and how many were new, changed or already there.</summary>
internal sealed record ImportResult(string Kind, int Rows, int Inserted, int Updated, int Unchanged);

/// <summary>One refused row: where it is (<c>line</c> in CSV/NDJSON, <c>item</c> in a JSON array) and why.</summary>
internal sealed record ImportRowError(long Line, string Unit, string Reason);

/// <summary>A refused import (422): every bad row; nothing was written.</summary>
internal sealed record ImportRefused(string Error, string Kind, int Rows, IReadOnlyList<ImportRowError> Errors)
{
    public static ImportRefused From(ImportReport report) => new(
        $"{report.Errors.Count} problem(s) found; nothing was written", ImportKinds.NameOf(report.Kind), report.Rows,
        report.Errors.Select(error => new ImportRowError(error.Line, error.Unit, error.Reason)).ToList());
}

/// <summary>A key to create: its name, scopes (default ingest) and optional expiry.</summary>
internal sealed record ApiKeyRequest(string Name, IReadOnlyList<string>? Scopes, DateTimeOffset? ExpiresAt);

/// <summary>A key as listed: never its secret.</summary>
internal sealed record ApiKeyInfo(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyInfo From(StoredApiKey key) => new(key.Id, key.Name, key.Scopes, key.CreatedAt, key.ExpiresAt, key.RevokedAt);
}

/// <summary>A key just created: the only response that ever carries its full text.</summary>
internal sealed record ApiKeyCreated(string Key, ApiKeyInfo Info);

[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ImportResult))]
[JsonSerializable(typeof(ImportRefused))]
[JsonSerializable(typeof(ApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(List<ApiKeyInfo>))]
[JsonSerializable(typeof(ApiKeyCreated))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class ApiJson : JsonSerializerContext;
