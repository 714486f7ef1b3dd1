using System.Text.Json;
using System.Threading.Channels;
using GrowthBot.Connectors.Stripe;
using GrowthBot.Connectors.Stripe.Backfill;
using GrowthBot.Host.Api.Auth;
using Microsoft.Extensions.Options;

namespace GrowthBot.Host.Api;

/// <summary>
/// <c>POST /api/v1/connect/stripe/backfill</c>: runs the Stripe backfill inside the host, so its
/// changes go through the host's own ingest (under the lock webhooks take) and reach the metric
/// engine at once. Answers <c>application/x-ndjson</c> as it goes: <c>{"stage","objects"}</c> lines,
/// then one <c>{"done":true,…counts}</c> or <c>{"error":…}</c> line. 409 while a backfill runs; 503
/// without <c>Stripe__SecretKey</c>. A client that goes away stops it; what it applied stays.
/// </summary>
internal static partial class StripeBackfillEndpoints
{
    private const int ProgressEvery = 100;

    public static RouteGroupBuilder MapStripeBackfill(this RouteGroupBuilder api)
    {
        api.MapPost("/connect/stripe/backfill", RunAsync)
            .RequireAuthorization(ApiKeyPolicies.Ingest)
            .WithName("StripeBackfill")
            .WithSummary("Reads every Stripe customer, subscription and paid invoice into the store (NDJSON progress lines, then the counts). Idempotent.")
            .Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson")
            .Produces<ApiError>(StatusCodes.Status401Unauthorized)
            .Produces<ApiError>(StatusCodes.Status409Conflict)
            .Produces<ApiError>(StatusCodes.Status503ServiceUnavailable);
        return api;
    }

    private static async Task RunAsync(HttpContext context, StripeBackfill backfill, IOptions<StripeOptions> options, ILoggerFactory loggers)
    {
        if (string.IsNullOrWhiteSpace(options.Value.SecretKey))
        {
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "Stripe__SecretKey is not set on the host: give it a restricted key with read access to Customers, Subscriptions and Invoices");
            return;
        }
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var progress = new LineProgress(lines.Writer);
        if (!backfill.TryRun(progress, context.RequestAborted, out var running))
        {
            await WriteErrorAsync(context, StatusCodes.Status409Conflict, "a Stripe backfill is running already on this host");
            return;
        }
        context.Response.ContentType = "application/x-ndjson";
        var finished = running.ContinueWith(task =>
        {
            lines.Writer.TryWrite(task.Status switch
            {
                TaskStatus.RanToCompletion => Done(task.Result),
                TaskStatus.Canceled => Line(writer => writer.WriteString("error", "the backfill was cancelled; what it applied stays")),
                _ => Line(writer => writer.WriteString("error", task.Exception?.InnerException is StripeBackfillException stop ? stop.Message : "the backfill failed; see the host's log")),
            });
            lines.Writer.TryComplete();
            if (task.Exception?.InnerException is { } failure and not StripeBackfillException) LogFailed(loggers.CreateLogger(typeof(StripeBackfillEndpoints).FullName!), failure);
        }, TaskScheduler.Default);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the backfill sees the same token and stops.
        }
        await finished;
    }

    private static string Done(StripeBackfillReport report) => Line(writer =>
    {
        writer.WriteBoolean("done", true);
        writer.WriteNumber("customers", report.Customers);
        writer.WriteNumber("subscriptions", report.Subscriptions);
        writer.WriteNumber("invoices", report.Invoices);
        writer.WriteNumber("applied", report.Applied);
        writer.WriteNumber("unchanged", report.Unchanged);
        writer.WriteNumber("stale", report.Stale);
        writer.WriteStartArray("refused");
        foreach (var refusal in report.Refused) writer.WriteStringValue(refusal);
        writer.WriteEndArray();
    });

    private static string Line(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ApiError(error), ApiJson.Default.ApiError, contentType: null, context.RequestAborted);
    }

    /// <summary>A line per stage and every <see cref="ProgressEvery"/> objects, so a large account does not flood the client.</summary>
    private sealed class LineProgress(ChannelWriter<string> lines) : IProgress<StripeBackfillProgress>
    {
        public void Report(StripeBackfillProgress value)
        {
            if (value.Objects % ProgressEvery != 0) return;
            lines.TryWrite(Line(writer =>
            {
                writer.WriteString("stage", value.Stage);
                writer.WriteNumber("objects", value.Objects);
            }));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The Stripe backfill failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
