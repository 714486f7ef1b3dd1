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

    /// <summary>
    /// Host names, besides this machine's own (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>), under
    /// which the admin endpoints answer an admin key, such as the name a reverse proxy passes on
    /// (<c>Api__AllowedHosts__0=growthbot.example.com</c>). Any other <c>Host</c> is refused there, so a
    /// page that rebinds its own DNS name to this machine cannot reach them. Empty by default.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}
