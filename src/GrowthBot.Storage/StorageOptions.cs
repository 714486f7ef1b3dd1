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
}
