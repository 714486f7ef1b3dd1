using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Surveys;
using GrowthBot.Slack.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Slack.Inbound;

/// <summary>
/// <c>POST /slack/events</c>, <c>/slack/commands</c> and <c>/slack/interactivity</c>, and the
/// install flow's <c>GET /slack/install</c> and <c>/slack/oauth_redirect</c>. Each request
/// is read raw, size-limited and signature-checked before anything else; accepted messages are
/// recorded in the durable inbox and acknowledged at once, and the worker answers them.
/// </summary>
public static partial class SlackEndpoints
{
    /// <summary>How long a slash command waits for its answer before acknowledging with "Working on it…".</summary>
    internal static readonly TimeSpan InlineAnswerBudget = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/slack");
        group.MapPost("/events", HandleEventsAsync);
        group.MapPost("/commands", HandleCommandsAsync);
        group.MapPost("/interactivity", HandleInteractivityAsync);
        group.MapGet("/install", (HttpContext context, Installations.SlackInstallFlow flow) => flow.Start(context));
        group.MapGet("/oauth_redirect", (HttpContext context, Installations.SlackInstallFlow flow) => flow.FinishAsync(context));
        return endpoints;
    }

    private static async Task<IResult> HandleEventsAsync(HttpContext context, SlackInbound inbound)
    {
        var (body, refusal) = await inbound.AuthenticateAsync(context, allowSslCheck: false).ConfigureAwait(false);
        if (refusal is not null) return refusal;

        JsonElement payload;
        try
        {
            payload = JsonDocument.Parse(body!).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "malformed JSON" });
        }
        return ToResult(context, inbound.HandleEvent(payload, context.Request.Headers["X-Slack-Retry-Num"].ToString()));
    }

    private static async Task<IResult> HandleCommandsAsync(HttpContext context, SlackInbound inbound)
    {
        var (body, refusal) = await inbound.AuthenticateAsync(context, allowSslCheck: true).ConfigureAwait(false);
        if (refusal is not null) return refusal;
        var form = SlackFormMapper.Parse(body!);
        if (SlackFormMapper.IsSslCheck(form)) return Results.Ok();
        return ToResult(context, await inbound.HandleCommandAsync(form, context.RequestAborted).ConfigureAwait(false));
    }

    private static async Task<IResult> HandleInteractivityAsync(HttpContext context, SlackInbound inbound)
    {
        var (body, refusal) = await inbound.AuthenticateAsync(context, allowSslCheck: false).ConfigureAwait(false);
        if (refusal is not null) return refusal;
        var form = SlackFormMapper.Parse(body!);
        if (!form.TryGetValue("payload", out var raw)) return Results.BadRequest(new { error = "no payload" });

        JsonElement payload;
        try
        {
            payload = JsonDocument.Parse(raw.ToString()).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "malformed JSON in payload" });
        }
        return ToResult(context, await inbound.HandleInteractiveAsync(payload).ConfigureAwait(false));
    }

    /// <summary>The HTTP response for an acknowledgement; its <see cref="SlackAck.Sent"/> runs once the response has gone out (or the request was aborted).</summary>
    private static IResult ToResult(HttpContext context, SlackAck ack)
    {
        if (ack.Sent is { } sent)
        {
            // OnCompleted runs after the last byte was handed to the connection; an aborted request never got its answer.
            context.Response.OnCompleted(() =>
            {
                sent(!context.RequestAborted.IsCancellationRequested);
                return Task.CompletedTask;
            });
        }
        return ack.Body is null ? Results.StatusCode(ack.Status) : Results.Content(ack.Body.ToJsonString(), "application/json", statusCode: ack.Status);
    }
}
