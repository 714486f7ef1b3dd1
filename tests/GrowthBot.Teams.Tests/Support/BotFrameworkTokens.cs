using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace GrowthBot.Teams.Tests.Support;

/// <summary>An RSA key the tests sign Bot Framework tokens with, published in their JWKS under <see cref="Kid"/>.</summary>
internal sealed class TestSigningKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public TestSigningKey(string kid)
    {
        Kid = kid;
        Key = new RsaSecurityKey(_rsa) { KeyId = kid };
    }

    public string Kid { get; }

    public RsaSecurityKey Key { get; }

    /// <summary>The key as the Bot Framework publishes it: RSA, for signing, endorsed for the given channels.</summary>
    public JsonObject Jwk(params string[] endorsements)
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (endorsements.Length > 0) jwk["endorsements"] = new JsonArray(endorsements.Select(endorsement => (JsonNode)JsonValue.Create(endorsement)!).ToArray());
        return jwk;
    }

    public void Dispose() => _rsa.Dispose();
}

/// <summary>Mints tokens shaped like the ones Teams sends through the Bot Framework, and their OpenID metadata.</summary>
internal static class BotFrameworkTokens
{
    public const string AppId = "7d3e1c4b-2a19-4f8e-9b6d-5c4a3b2e1f00";
    public const string Issuer = "https://api.botframework.com";
    public const string HomeTenant = "9f3c2b1a-4d5e-4f60-8a7b-1c2d3e4f5a6b";

    public static string Create(TestSigningKey key, DateTimeOffset now, string? serviceUrl, string audience = AppId, string issuer = Issuer,
        TimeSpan? lifetime = null, string algorithm = SecurityAlgorithms.RsaSha256, IReadOnlyDictionary<string, object>? extra = null)
    {
        var claims = new Dictionary<string, object>();
        foreach (var (name, value) in extra ?? new Dictionary<string, object>()) claims[name] = value;
        if (serviceUrl is not null) claims["serviceurl"] = serviceUrl;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + (lifetime ?? TimeSpan.FromHours(1))).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key.Key, algorithm),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A token with <c>alg: none</c> and no signature, otherwise perfect.</summary>
    public static string Unsigned(DateTimeOffset now, string serviceUrl)
    {
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = AppId,
            ["serviceurl"] = serviceUrl,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        return $"{Segment(header)}.{Segment(payload)}.";
    }

    /// <summary>The same token with its payload changed (a different service URL), keeping the original signature.</summary>
    public static string Tampered(string token)
    {
        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["serviceurl"] = "https://evil.example.com/";
        return $"{parts[0]}.{Segment(payload)}.{parts[2]}";
    }

    /// <summary>
    /// A token as Microsoft Entra issues it to Azure Bot Service for the bot (v2: <c>azp</c>; v1:
    /// <c>appid</c>, issuer sts.windows.net), signed with the tenant's key, with or without a serviceurl claim.
    /// </summary>
    public static string Entra(TestSigningKey key, DateTimeOffset now, string? serviceUrl, string tenant = HomeTenant, bool v1 = false, string? caller = AppId, string? tid = null)
    {
        var extra = new Dictionary<string, object> { ["tid"] = tid ?? tenant, ["ver"] = v1 ? "1.0" : "2.0" };
        if (caller is not null) extra[v1 ? "appid" : "azp"] = caller;
        var issuer = v1 ? $"https://sts.windows.net/{tenant}/" : $"https://login.microsoftonline.com/{tenant}/v2.0";
        return Create(key, now, serviceUrl, issuer: issuer, extra: extra);
    }

    /// <summary>Entra's OpenID metadata for a tenant, as login.microsoftonline.com serves it (issuer with the tenant id, its own jwks_uri).</summary>
    public static JsonObject EntraMetadata(string tenant, string jwksUri) => new()
    {
        ["token_endpoint"] = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        ["jwks_uri"] = jwksUri,
        ["issuer"] = $"https://login.microsoftonline.com/{tenant}/v2.0",
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
        ["authorization_endpoint"] = $"https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        ["subject_types_supported"] = new JsonArray("pairwise"),
        ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
    };

    public static JsonObject Metadata(string issuer, string jwksUri) => new()
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = "https://invalid.botframework.com",
        ["jwks_uri"] = jwksUri,
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
        ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
    };

    public static JsonObject Jwks(IEnumerable<JsonObject> keys) => new() { ["keys"] = new JsonArray(keys.Select(key => (JsonNode)key).ToArray()) };

    private static string Segment(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
