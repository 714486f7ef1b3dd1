using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Api.Auth;

/// <summary>
/// The admin policy's check of <c>Host</c>: a browser page whose DNS name was rebound to this machine
/// sends its own name, which is neither this machine's nor one the operator allowed
/// (<see cref="ApiOptions.AllowedHosts"/>), so it is refused even where a credential would pass.
/// </summary>
internal sealed class AdminHostRequirement : IAuthorizationRequirement
{
    internal sealed class Handler(IOptions<ApiOptions> options) : AuthorizationHandler<AdminHostRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminHostRequirement requirement)
        {
            if (context.Resource is HttpContext http && RequestOrigin.HostIsAllowed(http.Request, options.Value.AllowedHosts)) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }
}
