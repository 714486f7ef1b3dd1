using System.Text.Json;
using GrowthBot.Core.Diagnostics;
using GrowthBot.Core.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GrowthBot.Connectors.Zendesk.Inbound;

/// <summary>
/// <c>POST /webhooks/zendesk</c>: reads the raw body once (at most 1 MiB), verifies
/// <see cref="ZendeskSignature"/> at the host clock's time (any configured secret may match, so
/// secrets can roll), maps the ticket event and hands it to Core. 400 for a missing, forged or
/// stale signature and for a body that is not a Zendesk event; 200 for applied, duplicate,
/// out-of-date and unused events; 413 above the size limit; 503 while no signing secret is configured.
/// </summary>
public static partial class ZendeskEndpoints
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapZendesk(this IEndpointRouteBuilder endpoints)
    {
        // Anyone can post forgeries: one log line per interval, with the count, instead of one per request.
        var refusals = new RefusalThrottle(endpoints.ServiceProvider.GetRequiredService<TimeProvider>(), RefusalThrottle.DefaultInterval);
        endpoints.MapPost("/webhooks/zendesk", (HttpContext context, IOptions<ZendeskOptions> settings, SupportIngest ingest, TimeProvider time, ILoggerFactory loggers) =>
            ReceiveEvent(context, settings, ingest, time, loggers, refusals)).ExcludeFromDescription();
        endpoints.MapPost("/webhooks/zendesk/trigger", (HttpContext context, IOptions<ZendeskOptions> settings, SupportIngest ingest, TimeProvider time, ILoggerFactory loggers) =>
            ReceiveTrigger(context, settings, ingest, time, loggers, refusals)).ExcludeFromDescription();
        return endpoints;
    }

    private static Task<IResult> ReceiveEvent(HttpContext context, IOptions<ZendeskOptions> settings, SupportIngest ingest, TimeProvider time, ILoggerFactory loggers, RefusalThrottle refusals) =>
        ReceiveAsync(context, settings.Value, ingest, time, loggers, refusals, (root, options) => ZendeskEventMapper.Map(root, options));

    /// <summary>
    /// <c>POST /webhooks/zendesk/trigger</c>: a webhook connected to a trigger or automation, whose
    /// body is the template in docs/connectors.md. Verified like the event webhook; deduplicated by
    /// <c>x-zendesk-webhook-id</c> and <c>x-zendesk-webhook-invocation-id</c> (400 without them).
    /// </summary>
    private static Task<IResult> ReceiveTrigger(HttpContext context, IOptions<ZendeskOptions> settings, SupportIngest ingest, TimeProvider time, ILoggerFactory loggers, RefusalThrottle refusals)
    {
        string? webhookId = context.Request.Headers[WebhookIdHeader];
        string? invocationId = context.Request.Headers[InvocationIdHeader];
        return ReceiveAsync(context, settings.Value, ingest, time, loggers, refusals, (root, options) =>
            string.IsNullOrWhiteSpace(webhookId) || string.IsNullOrWhiteSpace(invocationId)
                ? new ZendeskMapping(null, "trigger", null, $"the request has no {WebhookIdHeader} or {InvocationIdHeader} header")
                : ZendeskTriggerMapper.Map(root, webhookId.Trim(), invocationId.Trim(), options));
    }

    public const string WebhookIdHeader = "x-zendesk-webhook-id";
    public const string InvocationIdHeader = "x-zendesk-webhook-invocation-id";

    private static async Task<IResult> ReceiveAsync(HttpContext context, ZendeskOptions options, SupportIngest ingest, TimeProvider time, ILoggerFactory loggers, RefusalThrottle refusals,
        Func<JsonElement, ZendeskOptions, ZendeskMapping> map)
    {
        var logger = loggers.CreateLogger("GrowthBot.Connectors.Zendesk");
        if (!options.Enabled) return Results.Text("Zendesk is not configured (Zendesk__WebhookSecret).", statusCode: StatusCodes.Status503ServiceUnavailable);
        if (context.Request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var check = ZendeskSignature.Verify(
            context.Request.Headers[ZendeskSignature.TimestampHeader], context.Request.Headers[ZendeskSignature.SignatureHeader],
            body, options.Secrets, time.GetUtcNow(), TimeSpan.FromSeconds(options.ToleranceSeconds));
        if (check != SignatureCheck.Valid)
        {
            if (refusals.ShouldLog(out var unlogged)) LogBadSignature(logger, check, unlogged, refusals.Interval);
            return Results.Json(new { error = "the Zendesk webhook signature could not be verified" }, statusCode: StatusCodes.Status400BadRequest);
        }

        ZendeskMapping mapping;
        try
        {
            using var document = JsonDocument.Parse(body);
            mapping = map(document.RootElement, options);
        }
        catch (JsonException)
        {
            mapping = new ZendeskMapping(null, "?", null, "the body is not JSON");
        }
        if (mapping.Refused is { } reason)
        {
            LogRefused(logger, mapping.Type, reason);
            return Results.Json(new { error = reason }, statusCode: StatusCodes.Status400BadRequest);
        }
        if (mapping.Event is not { } change)
        {
            LogIgnored(logger, mapping.Type);
            return Results.Json(new { received = true, outcome = "ignored" });
        }
        var outcome = await ingest.ApplyAsync(change, ZendeskEventMapper.Source);
        LogApplied(logger, change.DeliveryId, mapping.Type, change.TicketId, outcome);
        return Results.Json(new { received = true, outcome = outcome.ToString().ToLowerInvariant() });
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Zendesk webhook: signature {Check}; {Unlogged} more refused since the last such line (at most one line per {Interval})")]
    private static partial void LogBadSignature(ILogger logger, SignatureCheck check, long unlogged, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Zendesk webhook ({Type}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zendesk event type {Type} not used")]
    private static partial void LogIgnored(ILogger logger, string type);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zendesk event {EventId} ({Type}) for ticket {TicketId}: {Outcome}")]
    private static partial void LogApplied(ILogger logger, string eventId, string type, string ticketId, SupportOutcome outcome);
}
