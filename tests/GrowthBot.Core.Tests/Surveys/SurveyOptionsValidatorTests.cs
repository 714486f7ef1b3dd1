using GrowthBot.Core.Surveys;

namespace GrowthBot.Core.Tests.Surveys;

public sealed class SurveyOptionsValidatorTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(new SurveyOptionsValidator().Validate(null, new SurveyOptions()).Succeeded);
    }

    [Fact]
    public void Mistakes_NameTheSetting()
    {
        var options = new SurveyOptions { SigningKey = "short", SendInterval = TimeSpan.FromMinutes(5) };
        options.Nps.Question = " ";
        options.Ces.ReminderAfter = options.Ces.InvitationLifetime;
        options.Csat.InvitationLifetime = TimeSpan.Zero;

        var failures = new SurveyOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains("Surveys:Nps:Question must not be empty.", failures);
        Assert.Contains(failures, failure => failure.StartsWith("Surveys:Ces:ReminderAfter", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Surveys:Csat:InvitationLifetime", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Surveys:SendInterval", StringComparison.Ordinal));
        Assert.Contains(failures, failure => failure.StartsWith("Surveys:SigningKey", StringComparison.Ordinal));
    }
}
