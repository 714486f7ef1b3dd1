using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams;

/// <summary>How <c>/api/messages</c> authenticates callers.</summary>
internal enum TeamsAccessMode
{
    /// <summary>No app id and no explicit development opt-in: Teams is not configured, every request is 503.</summary>
    NotConfigured,

    /// <summary>An app id is set: every request needs a valid channel token.</summary>
    Authenticated,

    /// <summary>Development only, asked for with <c>Teams__AllowUnauthenticatedLoopback=true</c>: unauthenticated loopback requests.</summary>
    UnauthenticatedLoopback,
}

/// <summary>The access mode, decided once from the settings and the environment.</summary>
internal sealed class TeamsMode(IOptions<TeamsOptions> options, IHostEnvironment environment)
{
    public TeamsAccessMode Access { get; } = Decide(options.Value, environment);

    internal static TeamsAccessMode Decide(TeamsOptions options, IHostEnvironment environment) =>
        options.IsConfigured ? TeamsAccessMode.Authenticated
        : options.AllowUnauthenticatedLoopback && environment.IsDevelopment() ? TeamsAccessMode.UnauthenticatedLoopback
        : TeamsAccessMode.NotConfigured;
}

/// <summary>Refuses to start with the development opt-in outside the Development environment.</summary>
internal sealed class TeamsModeValidation(IHostEnvironment environment) : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AllowUnauthenticatedLoopback && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail($"Teams:AllowUnauthenticatedLoopback is for the Development environment only (this is {environment.EnvironmentName}): it turns authentication off. Set Teams__AppId instead.");
        }
        return ValidateOptionsResult.Success;
    }
}
