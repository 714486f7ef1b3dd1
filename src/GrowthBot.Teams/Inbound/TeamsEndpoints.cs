using System.Text.Json;
using GrowthBot.Teams.Auth;
using GrowthBot.Teams.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GrowthBot.Teams.Inbound;

/// <summary>
/// <c>POST /api/messages</c>, the Bot Framework messaging endpoint Teams calls. Each request is
/// size-limited and authenticated (the Bot Framework JWT, or loopback-only in development mode)
/// before anything else; messages are recorded in the durable inbox and acknowledged at once,
/// card actions (invoke <c>adaptiveCard/action</c>) are answered in the response within the budget.
/// </summary>
public static class TeamsEndpoints
{
    /// <summary>How long an invoke waits for its answer: Teams gives up after about 15 seconds.</summary>
    internal static readonly TimeSpan InvokeBudget = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/messages", HandleAsync);
        endpoints.MapGet("/teams/images/{id}.png", ServeImage);
        return endpoints;
    }

    /// <summary>
    /// A chart the bot rendered, for Teams clients showing a card (they fetch images without the bot's
    /// token, so the link itself is the credential: signed, with an expiry). Unknown ids, expired links
    /// and forged or missing signatures all get the same bare 404, so a caller learns nothing about
    /// which charts exist. Caching is private: no shared proxy keeps a copy past the link's life.
    /// </summary>
    private static IResult ServeImage(string id, HttpContext context, TeamsImageCache images)
    {
        var query = context.Request.Query;
        if (images.Open(id, query["exp"].ToString(), query["sig"].ToString()) is not { } chart) return Results.NotFound();
        var maxAge = (long)Math.Clamp(chart.ValidFor.TotalSeconds, 0, TimeSpan.FromDays(1).TotalSeconds);
        context.Response.Headers.CacheControl = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"private, max-age={maxAge}");
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(chart.Png, "image/png");
    }

    private static async Task<IResult> HandleAsync(HttpContext context, TeamsInbound inbound, MentionResolver mentions)
    {
        var (authenticated, refusal) = await inbound.AuthenticateAsync(context).ConfigureAwait(false);
        if (refusal is not null) return refusal;
        // Mentioned people are known by their Entra object id before the message is stored.
        var activity = await mentions.ResolveAsync(authenticated!, context.RequestAborted).ConfigureAwait(false);

        switch (TeamsActivityMapper.Map(activity!, inbound.IsBot(activity!), inbound.Time.GetUtcNow()))
        {
            case TeamsInboundOutcome.Message message:
                inbound.See(message.Conversation, message.Incoming, activity!.From);
                inbound.Accept(message.Incoming);
                return Results.Ok();
            case TeamsInboundOutcome.Submit submit:
                inbound.See(submit.Conversation, submit.Record, activity!.From);
                inbound.AnswerSubmit(submit);
                return Results.Ok();
            case TeamsInboundOutcome.Execute execute:
                inbound.See(execute.Conversation, execute.Record, activity!.From);
                return Results.Json(await inbound.AnswerExecuteAsync(execute, context.RequestAborted).ConfigureAwait(false));
            case TeamsInboundOutcome.Installed installed:
                inbound.Install(installed);
                return Results.Ok();
            case TeamsInboundOutcome.Removed removed:
                inbound.Remove(removed);
                return Results.Ok();
            case TeamsInboundOutcome.Deleted deleted:
                inbound.RemoveAnswer(deleted);
                return Results.Ok();
            case TeamsInboundOutcome.UnsupportedInvoke:
                // As the Bot Framework SDK answers invokes a bot does not handle.
                return Results.StatusCode(StatusCodes.Status501NotImplemented);
            case TeamsInboundOutcome.Invalid invalid:
                return Results.BadRequest(new { error = invalid.Reason });
            default:
                return Results.Ok();
        }
    }

    /// <summary>Parses the body as one JSON object, or null.</summary>
    internal static JsonElement? ParseObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
