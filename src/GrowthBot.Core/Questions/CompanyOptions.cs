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

    /// <summary>
    /// How the bot names the company in replies and surveys. Unset by default: texts then say "us"
    /// ("How likely are you to recommend us…"), and the host warns at every start until it is set.
    /// </summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Whether <see cref="Name"/> is set.</summary>
    public bool IsNamed => !string.IsNullOrWhiteSpace(Name);

    /// <summary>An IANA time zone id such as <c>Europe/Berlin</c>. Default UTC.</summary>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The <see cref="TimeZone"/> resolved; throws for an unknown id (validation stops the start before that).</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
