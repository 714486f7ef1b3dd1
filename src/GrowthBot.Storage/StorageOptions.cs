using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Storage;

/// <summary>Where the LiteDB file lives (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// One place whatever the working directory, so the host, <c>./growthbot</c> and a published
    /// <c>growthbot</c> all find the same store: <c>growthbot/growthbot.db</c> in the user's local
    /// application data (<c>$XDG_DATA_HOME</c>, else <c>~/.local/share</c> on Linux and macOS,
    /// <c>%LOCALAPPDATA%</c> on Windows); <c>data/growthbot.db</c> only when there is no such folder.
    /// </summary>
    public static string DefaultPath { get; } = ComputeDefaultPath();

    /// <summary>The LiteDB file (a symbolic link is followed); its folder is created if missing. Default <see cref="DefaultPath"/>.</summary>
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

    private static string ComputeDefaultPath()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return string.IsNullOrEmpty(data) ? System.IO.Path.Combine("data", "growthbot.db") : System.IO.Path.Combine(data, "growthbot", "growthbot.db");
    }
}
