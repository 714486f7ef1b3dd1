using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Api.Auth;

namespace GrowthBot.Host.Api;

/// <summary>
/// <c>/api/v1/keys</c> (admin scope): create, list and revoke API keys while the host holds the
/// store. <c>growthbot apikey …</c> uses these through the host's loopback key when the host runs.
/// </summary>
internal static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeys(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").RequireAuthorization(ApiKeyPolicies.Admin);
        keys.MapPost("/", Create).WithName("CreateApiKey").WithSummary("Creates an API key; the response is the only time its full text is shown.")
            .Produces<ApiKeyCreated>(StatusCodes.Status201Created).Produces<ApiError>(StatusCodes.Status400BadRequest).Produces<ApiError>(StatusCodes.Status409Conflict);
        keys.MapGet("/", (IApiKeyStore store) => Results.Json(store.All().Select(ApiKeyInfo.From).ToList(), ApiJson.Default.ListApiKeyInfo))
            .WithName("ListApiKeys").WithSummary("Lists API keys (never their secrets).").Produces<List<ApiKeyInfo>>();
        keys.MapDelete("/{name}", (string name, IApiKeyStore store, TimeProvider time) => store.Revoke(name, time.GetUtcNow())
                ? Results.NoContent()
                : Results.Json(new ApiError($"no active key named '{name}'"), ApiJson.Default.ApiError, statusCode: StatusCodes.Status404NotFound))
            .WithName("RevokeApiKey").WithSummary("Revokes an API key: it stops working at once.").Produces(StatusCodes.Status204NoContent).Produces<ApiError>(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> Create(HttpContext context, ApiKeyService service)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Json(new ApiError("send the key request as application/json"), ApiJson.Default.ApiError, statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        ApiKeyRequest? request;
        try
        {
            request = await context.Request.ReadFromJsonAsync(ApiJson.Default.ApiKeyRequest, context.RequestAborted);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or BadHttpRequestException)
        {
            return Results.Json(new ApiError("the body is not a key request (JSON with name, scopes, expiresAt)"), ApiJson.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
        if (request is null) return Results.Json(new ApiError("the body is empty"), ApiJson.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        try
        {
            var created = service.Create(request.Name, request.Scopes is { Count: > 0 } scopes ? scopes : [ApiKeyScopes.Ingest], request.ExpiresAt);
            return Results.Json(new ApiKeyCreated(created.Key, ApiKeyInfo.From(created.Stored)), ApiJson.Default.ApiKeyCreated, statusCode: StatusCodes.Status201Created);
        }
        catch (ArgumentException exception)
        {
            return Results.Json(new ApiError(exception.Message.Split(" (Parameter", 2)[0]), ApiJson.Default.ApiError, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (InvalidOperationException exception)
        {
            return Results.Json(new ApiError(exception.Message), ApiJson.Default.ApiError, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
