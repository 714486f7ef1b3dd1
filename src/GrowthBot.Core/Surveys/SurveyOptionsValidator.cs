using GrowthBot.Core.Data;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core.Surveys;

/// <summary>Stops the start when a survey setting cannot work, naming the setting.</summary>
public sealed class SurveyOptionsValidator : IValidateOptions<SurveyOptions>
{
    public ValidateOptionsResult Validate(string? name, SurveyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var kind in Enum.GetValues<SurveyKind>())
        {
            var section = $"{SurveyOptions.SectionName}:{kind}";
            var survey = options.For(kind);
            if (string.IsNullOrWhiteSpace(survey.Question)) failures.Add($"{section}:Question must not be empty.");
            if (string.IsNullOrWhiteSpace(survey.FollowUp)) failures.Add($"{section}:FollowUp must not be empty.");
            if (string.IsNullOrWhiteSpace(survey.Thanks)) failures.Add($"{section}:Thanks must not be empty.");
            if (survey.FatigueWindow < TimeSpan.Zero) failures.Add($"{section}:FatigueWindow must not be negative.");
            if (survey.InvitationLifetime <= TimeSpan.Zero) failures.Add($"{section}:InvitationLifetime must be positive (e.g. 7.00:00:00).");
            if (survey.ReminderAfter < TimeSpan.Zero || (survey.ReminderAfter > TimeSpan.Zero && survey.ReminderAfter >= survey.InvitationLifetime))
            {
                failures.Add($"{section}:ReminderAfter must be zero (no reminder) or shorter than InvitationLifetime.");
            }
        }
        if (options.CesAfterTicketDelay < TimeSpan.Zero) failures.Add($"{SurveyOptions.SectionName}:CesAfterTicketDelay must not be negative.");
        if (options.CesAfterTicketMaxAge < TimeSpan.Zero) failures.Add($"{SurveyOptions.SectionName}:CesAfterTicketMaxAge must not be negative.");
        if (options.SendInterval < TimeSpan.Zero || options.SendInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{SurveyOptions.SectionName}:SendInterval must be between 00:00:00 and 00:01:00.");
        }
        if (options.SigningKey is { Length: > 0 and < 16 }) failures.Add($"{SurveyOptions.SectionName}:SigningKey must be at least 16 characters (or empty for a generated key).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
