using GrowthBot.Core.Ports;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// A request that needed a store write while the store cannot write (a full disk) gets 503 with
/// <c>Retry-After</c>, not a 500: Slack and Teams retry a delivery that was refused, and nothing of
/// it was recorded, so the retry is handled as new once the store writes again.
/// </summary>
internal static partial class StoreUnavailableResponses
{
    public const string RetryAfterSeconds = "30";

    public static IApplicationBuilder UseStoreUnavailableResponses(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (StoreUnavailableException exception) when (!context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreUnavailableResponses).FullName!);
            LogRefused(logger, context.Request.Path, exception.Problem);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await context.Response.WriteAsJsonAsync(new { error = "the store cannot write right now; nothing was recorded, try again later" });
        }
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to {Path} with 503: the store cannot write ({Problem})")]
    private static partial void LogRefused(ILogger logger, PathString path, string problem);
}
