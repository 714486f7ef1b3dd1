using GrowthBot.Core.Data;
using Microsoft.Extensions.Options;

namespace GrowthBot.Core.FollowUps;

/// <summary>Stops the start when a follow-up setting cannot work, naming the setting.</summary>
public sealed class FollowUpOptionsValidator : IValidateOptions<FollowUpOptions>
{
    public ValidateOptionsResult Validate(string? name, FollowUpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var survey in Enum.GetValues<SurveyKind>())
        {
            var text = options.ChannelText(survey);
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!FollowUpOptions.TryParse(text, out _, out var error)) failures.Add($"{FollowUpOptions.SectionName}:{survey}: {error}");
        }
        if (options.PollInterval < TimeSpan.FromSeconds(1) || options.PollInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{FollowUpOptions.SectionName}:PollInterval must be between 00:00:01 and 00:01:00 (cases are posted within a minute).");
        }
        if (options.PostLease < TimeSpan.FromSeconds(30) || options.PostLease > TimeSpan.FromHours(1))
        {
            failures.Add($"{FollowUpOptions.SectionName}:PostLease must be between 00:00:30 and 01:00:00 (it must outlast the slowest post).");
        }
        if (options.PreviousAnswers is < 0 or > 20) failures.Add($"{FollowUpOptions.SectionName}:PreviousAnswers must be between 0 and 20.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
