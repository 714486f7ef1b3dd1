using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Storage.Postgres;

/// <summary>The PostgreSQL store's settings (configuration section <c>Storage</c>, with <c>Storage__Provider=postgres</c>).</summary>
public sealed class PostgresStorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>). Never logged with its password.</summary>
    [Required(ErrorMessage = "Storage__ConnectionString is required when Storage__Provider is postgres (an Npgsql connection string: Host=…;Database=…;Username=…;Password=…)")]
    public string ConnectionString { get; set; } = "";
}
