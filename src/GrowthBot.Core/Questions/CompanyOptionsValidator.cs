using Microsoft.Extensions.Options;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Stops the start when <c>Company:TimeZone</c> is not a time zone this machine knows. An empty name
/// is allowed: texts then say "us", and the host warns at start until it is set.
/// </summary>
public sealed class CompanyOptionsValidator : IValidateOptions<CompanyOptions>
{
    public ValidateOptionsResult Validate(string? name, CompanyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsKnownZone(options.TimeZone))
        {
            failures.Add($"{CompanyOptions.SectionName}:TimeZone '{options.TimeZone}' is not a known time zone; use an IANA id such as Europe/Berlin or America/New_York.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsKnownZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return false;
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
