using Azure.Core;

namespace GrowthBot.Teams.Graph;

/// <summary>A credential made on first use, so that settings it needs are read only by a host that uses it.</summary>
internal sealed class LazyCredential(Func<TokenCredential> create) : TokenCredential
{
    private readonly Lazy<TokenCredential> _credential = new(create, LazyThreadSafetyMode.ExecutionAndPublication);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _credential.Value.GetToken(requestContext, cancellationToken);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _credential.Value.GetTokenAsync(requestContext, cancellationToken);
}
