using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Who the company is and where its day starts (configuration section <c>Company</c>). Periods in
/// questions ("today", "last month", "Q3") are calendar periods in <see cref="TimeZone"/>, turned
/// into UTC instants for the metric engine.
/// </summary>
public sealed class CompanyOptions
{
    public const string SectionName = "Company";

    /// <summary>How the bot names the company in replies. Default "our company".</summary>
    [Required]
    public string Name { get; set; } = "our company";

    /// <summary>An IANA time zone id such as <c>Europe/Berlin</c>. Default UTC.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The <see cref="TimeZone"/> resolved; throws for an unknown id (validation stops the start before that).</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
