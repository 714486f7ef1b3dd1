using GrowthBot.Core.ApiKeys;
using Microsoft.AspNetCore.Authorization;

namespace GrowthBot.Host.Api.Auth;

/// <summary>
/// One authorization policy per scope, so any endpoint says what it needs with
/// <c>RequireAuthorization(ApiKeyPolicies.Ingest)</c>. A key with <c>admin</c> passes every policy.
/// </summary>
internal static class ApiKeyPolicies
{
    public const string Scheme = "ApiKey";
    public const string Ingest = "ingest";
    public const string Admin = "admin";

    /// <summary>Adds the API-key scheme and a policy per scope.</summary>
    public static IServiceCollection AddGrowthBotApiKeys(this IServiceCollection services)
    {
        services.AddSingleton<LocalHostKey>();
        services.AddSingleton<ApiKeyRefusals>();
        // Not the default scheme: only endpoints whose policy names it run it, so the Slack and Teams
        // endpoints (Teams sends its own Bearer JWT) never see this handler.
        services.AddAuthentication().AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(Scheme, _ => { });
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiKeyScopes.All)
        {
            authorization.AddPolicy(scope, policy =>
            {
                policy.AddAuthenticationSchemes(Scheme)
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => ApiKeyScopes.Allows(
                        context.User.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(claim => claim.Value), scope));
                // Admin endpoints also check Host (DNS rebinding): this machine's names or Api:AllowedHosts.
                if (scope == Admin) policy.AddRequirements(new AdminHostRequirement());
            });
        }
        services.AddSingleton<IAuthorizationHandler, AdminHostRequirement.Handler>();
        return services;
    }
}
