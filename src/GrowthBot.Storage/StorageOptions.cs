using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Storage;

/// <summary>Where the LiteDB file lives (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";
    public const string DefaultPath = "data/growthbot.db";

    /// <summary>The LiteDB file; its folder is created if missing. Default <c>data/growthbot.db</c>.</summary>
    [Required]
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// LiteDB copies its write-ahead log into the data file once the log passes this many 8 KB pages,
    /// holding every reader and writer meanwhile. LiteDB's default (1000 pages, 8 MB) stalled survey
    /// presses for up to ~250 ms every few seconds under load; 100 pages (800 KB) makes each pause
    /// short (bench/README.md, survey load benchmark). Default 100.
    /// </summary>
    [Range(1, 100_000)]
    public int CheckpointPages { get; set; } = DefaultCheckpointPages;

    public const int DefaultCheckpointPages = 100;
}
