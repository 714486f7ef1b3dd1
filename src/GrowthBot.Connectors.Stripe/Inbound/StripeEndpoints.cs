using System.Buffers;
using GrowthBot.Core.Billing;
using GrowthBot.Core.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace GrowthBot.Connectors.Stripe.Inbound;

/// <summary>
/// <c>POST /webhooks/stripe</c>: reads the raw body once (at most 1 MiB), verifies the
/// <c>Stripe-Signature</c> header with Stripe.net's <see cref="EventUtility.ConstructEvent(string, string, string, long, long, bool)"/>
/// at the host clock's Unix time (any configured secret may match, so secrets can roll), maps the
/// event and hands it to Core. 400 for a missing, forged or stale signature; 200 for applied,
/// duplicate, out-of-date and unused events; 422 (Stripe retries) when an amount's currency has no
/// configured rate; 503 while no signing secret is configured.
/// </summary>
public static partial class StripeEndpoints
{
    public const int MaxBodyBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapStripe(this IEndpointRouteBuilder endpoints)
    {
        // Anyone can post forgeries: one log line per interval, with the count, instead of one per request.
        var refusals = new RefusalThrottle(endpoints.ServiceProvider.GetRequiredService<TimeProvider>(), RefusalThrottle.DefaultInterval);
        endpoints.MapPost("/webhooks/stripe", (HttpContext context, IOptions<StripeOptions> settings, BillingIngest ingest, TimeProvider time, ILoggerFactory loggers) =>
            Receive(context, settings, ingest, time, loggers, refusals)).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> Receive(HttpContext context, IOptions<StripeOptions> settings, BillingIngest ingest, TimeProvider time, ILoggerFactory loggers, RefusalThrottle refusals)
    {
        var options = settings.Value;
        var logger = loggers.CreateLogger("GrowthBot.Connectors.Stripe");
        if (!options.Enabled) return Results.Text("Stripe is not configured (Stripe__WebhookSecret).", statusCode: StatusCodes.Status503ServiceUnavailable);
        if (context.Request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        var body = await ReadBodyAsync(context.Request, context.RequestAborted);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        string? header = context.Request.Headers["Stripe-Signature"];
        if (string.IsNullOrEmpty(header)) return BadSignature(logger, refusals, "no Stripe-Signature header");

        Event? stripeEvent = null;
        string? problem = null;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var secret in options.Secrets)
        {
            try
            {
                stripeEvent = EventUtility.ConstructEvent(body, header, secret, options.ToleranceSeconds, now, throwOnApiVersionMismatch: !options.AllowApiVersionMismatch);
                break;
            }
            catch (StripeException exception)
            {
                problem = exception.Message;
            }
            catch (Newtonsoft.Json.JsonException)
            {
                problem = "the body is not a Stripe event";
            }
        }
        if (stripeEvent is null) return BadSignature(logger, refusals, problem ?? "no signing secret");

        var mapping = StripeEventMapper.Map(stripeEvent, options);
        foreach (var note in mapping.Notes) LogNote(logger, stripeEvent.Id, note);
        if (mapping.Refused is { } reason)
        {
            LogRefused(logger, stripeEvent.Id, stripeEvent.Type, reason);
            return Results.Json(new { error = reason }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        if (mapping.Change is null)
        {
            LogIgnored(logger, stripeEvent.Id, stripeEvent.Type);
            return Results.Json(new { received = true, outcome = "ignored" });
        }
        var outcome = await ingest.ApplyAsync(mapping.Change);
        LogApplied(logger, stripeEvent.Id, stripeEvent.Type, outcome);
        return Results.Json(new { received = true, outcome = outcome.ToString().ToLowerInvariant() });
    }

    /// <summary>
    /// The body as text, or null past <see cref="MaxBodyBytes"/>. Read into a pooled buffer sized
    /// from Content-Length (doubled when a chunked body outgrows it): a fresh 16 KB chunk and a
    /// growing MemoryStream per delivery were 7 % of the host's allocations at a thousand deliveries
    /// a second, and every collection they bring on stops every request (bench/README.md).
    /// </summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 0, 0, MaxBodyBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) break;
                length += read;
                if (length > MaxBodyBytes) return null;
            }
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult BadSignature(ILogger logger, RefusalThrottle refusals, string reason)
    {
        if (refusals.ShouldLog(out var unlogged)) LogBadSignature(logger, reason, unlogged, refusals.Interval);
        return Results.Json(new { error = "the Stripe signature could not be verified" }, statusCode: StatusCodes.Status400BadRequest);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a Stripe webhook: {Reason}; {Unlogged} more refused since the last such line (at most one line per {Interval})")]
    private static partial void LogBadSignature(ILogger logger, string reason, long unlogged, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({Type}) refused: {Reason}; Stripe will retry it")]
    private static partial void LogRefused(ILogger logger, string eventId, string type, string reason);

    // Debug, as the applied ones: at a thousand events a second a line each was a cost of its own.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Stripe event {EventId} ({Type}) not used")]
    private static partial void LogIgnored(ILogger logger, string eventId, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stripe event {EventId} ({Type}): {Outcome}")]
    private static partial void LogApplied(ILogger logger, string eventId, string type, BillingOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId}: {Note}")]
    private static partial void LogNote(ILogger logger, string eventId, string note);
}
