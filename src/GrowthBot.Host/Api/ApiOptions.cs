using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Host.Api;

/// <summary>Settings of the HTTP API (configuration section <c>Api</c>).</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// The largest import body accepted, in bytes; larger ones get 413. Default 512 MiB. The body is
    /// parsed as it arrives, so this bounds the upload, not memory (the parsed rows are held until
    /// they are written in one transaction).
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxImportBytes { get; set; } = 512L * 1024 * 1024;
}
