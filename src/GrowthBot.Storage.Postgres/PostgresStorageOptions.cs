using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Storage.Postgres;

/// <summary>The PostgreSQL store's settings (configuration section <c>Storage</c>, with <c>Storage__Provider=postgres</c>).</summary>
public sealed class PostgresStorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>). Never logged with its password.</summary>
    [Required(ErrorMessage = "Storage__ConnectionString is required when Storage__Provider is postgres (an Npgsql connection string: Host=…;Database=…;Username=…;Password=…)")]
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// How often a host checks for writes other hosts committed, besides being notified of each one (LISTEN/NOTIFY):
    /// the safety net for a notice lost while the listening connection was down (<c>Storage__FollowInterval</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00", ErrorMessage = "Storage__FollowInterval must be between 00:00:00.1 and 00:01:00.")]
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromSeconds(1);
}
