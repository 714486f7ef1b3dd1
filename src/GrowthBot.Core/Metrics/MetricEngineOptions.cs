using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Core.Metrics;

/// <summary>Company settings the formulas need (configuration section <c>Metrics</c>).</summary>
public sealed class MetricEngineOptions
{
    public const string SectionName = "Metrics";

    /// <summary>Gross margin as a share (0.8 = 80%), used by LTV. Default 100%.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal GrossMargin { get; set; } = 1m;

    /// <summary>A sign-up counts as activated if it activated within this many days. Default 14.</summary>
    [Range(1, 3650)]
    public int ActivationWindowDays { get; set; } = 14;

    /// <summary>The one currency every amount is in (ISO 4217 code), shown beside money. Default USD.</summary>
    [Required]
    [RegularExpression("^[A-Z]{3}$")]
    public string Currency { get; set; } = "USD";
}
