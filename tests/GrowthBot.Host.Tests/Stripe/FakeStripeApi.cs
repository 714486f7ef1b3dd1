using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Host.Tests.Stripe;

/// <summary>How the fake fails one request, as Stripe's API fails.</summary>
internal enum StripeFault
{
    /// <summary>429 from the rate limiter: <c>invalid_request_error</c>, no <c>Stripe-Should-Retry</c>; <c>Retry-After</c> when the test sets it.</summary>
    RateLimited,
    /// <summary>429 from a lock timeout: code <c>lock_timeout</c> and <c>Stripe-Should-Retry: true</c>.</summary>
    LockTimeout,
    /// <summary>500 <c>api_error</c>.</summary>
    ServerError,
    /// <summary>500 <c>api_error</c> with <c>Stripe-Should-Retry: false</c>.</summary>
    ServerErrorDoNotRetry,
    /// <summary>The request is accepted and never answered (until the client gives up).</summary>
    Hang,
}

/// <summary>
/// A loopback stand-in for Stripe's API (v1 list endpoints of customers, subscriptions and invoices)
/// built from Stripe's API reference: bearer-key authentication (401 with Stripe's error JSON for a
/// bad key), the list envelope <c>{object: "list", data, has_more, url}</c>, newest first,
/// <c>limit</c> (1–100, default 10) and <c>starting_after</c> cursors (an unknown cursor is a 400
/// <c>resource_missing</c>), subscriptions without <c>status=all</c> leaving out canceled ones,
/// invoices filtered by <c>status</c>, a <c>Request-Id</c> on every answer, and scripted faults.
/// Objects are the Stripe-shaped fixtures' objects with their ids changed.
/// </summary>
internal sealed class FakeStripeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Path, StripeFault Fault, int? RetryAfter, bool WithCursor)> _faults = new();
    private int _requestCount;

    public FakeStripeApi(string key)
    {
        Key = key;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/v1/{resource}", (string resource, HttpContext context) => ListAsync(resource, context));
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public string Key { get; }

    public string BaseUrl { get; }

    public List<JsonObject> Customers { get; } = [];

    public List<JsonObject> Subscriptions { get; } = [];

    public List<JsonObject> Invoices { get; } = [];

    /// <summary>Every request's path and query, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The next request to <paramref name="path"/> (e.g. <c>/v1/subscriptions</c>; with <paramref name="laterPage"/>, the next one for a later page) fails so.</summary>
    public void FailNext(string path, StripeFault fault, int? retryAfterSeconds = null, bool laterPage = false) => _faults.Enqueue((path, fault, retryAfterSeconds, laterPage));

    public JsonObject AddCustomer(string id, string name, long created, string? segment = null)
    {
        var customer = FixtureObject("customer.created");
        customer["id"] = id;
        customer["name"] = name;
        customer["email"] = $"billing@{id}.example";
        customer["created"] = created;
        customer["metadata"] = segment is null ? new JsonObject() : new JsonObject { ["segment"] = segment, ["acquisition_channel"] = "paid-search" };
        Customers.Add(customer);
        return customer;
    }

    /// <summary>A monthly subscription of <paramref name="quantity"/> × $49 (the fixture's price).</summary>
    public JsonObject AddSubscription(string id, string customer, long start, int quantity, string status = "active", long? endedAt = null, long? trialEnd = null)
    {
        var subscription = FixtureObject("customer.subscription.created");
        subscription["id"] = id;
        subscription["customer"] = customer;
        subscription["created"] = start;
        subscription["start_date"] = start;
        subscription["billing_cycle_anchor"] = start;
        subscription["status"] = status;
        subscription["ended_at"] = endedAt;
        subscription["canceled_at"] = endedAt;
        subscription["trial_start"] = trialEnd is null ? null : start;
        subscription["trial_end"] = trialEnd;
        var item = subscription["items"]!["data"]![0]!.AsObject();
        item["id"] = "si_" + id[4..];
        item["subscription"] = id;
        item["quantity"] = quantity;
        subscription["items"]!["url"] = $"/v1/subscription_items?subscription={id}";
        Subscriptions.Add(subscription);
        return subscription;
    }

    public JsonObject AddInvoice(string id, string customer, long amountPaid, long paidAt)
    {
        var invoice = FixtureObject("invoice.paid");
        invoice["id"] = id;
        invoice["customer"] = customer;
        invoice["amount_paid"] = amountPaid;
        invoice["created"] = paidAt;
        invoice["status_transitions"]!["paid_at"] = paidAt;
        Invoices.Add(invoice);
        return invoice;
    }

    public static JsonObject FixtureObject(string fixture)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Stripe", "Fixtures", fixture + ".json"));
        return JsonNode.Parse(text)!["data"]!["object"]!.DeepClone().AsObject();
    }

    private async Task<IResult> ListAsync(string resource, HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        var path = context.Request.Path.Value!;
        Requests.Enqueue(path + context.Request.QueryString);
        context.Response.Headers["Request-Id"] = $"req_{Guid.NewGuid():N}"[..18];
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Key}")
        {
            var given = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
            var masked = given.Length > 8 ? $"{given[..8]}{new string('*', given.Length - 12)}{given[^4..]}" : "****";
            return Error(StatusCodes.Status401Unauthorized, "invalid_request_error", null, $"Invalid API Key provided: {masked}");
        }
        if (_faults.TryPeek(out var next) && next.Path == path && (!next.WithCursor || context.Request.Query["starting_after"].Count > 0) && _faults.TryDequeue(out var fault))
        {
            switch (fault.Fault)
            {
                case StripeFault.RateLimited:
                    if (fault.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Error(StatusCodes.Status429TooManyRequests, "invalid_request_error", null, "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.");
                case StripeFault.LockTimeout:
                    context.Response.Headers["Stripe-Should-Retry"] = "true";
                    return Error(StatusCodes.Status429TooManyRequests, "invalid_request_error", "lock_timeout", "This object cannot be accessed right now because another API request or Stripe process is currently accessing it.");
                case StripeFault.ServerError:
                    return Error(StatusCodes.Status500InternalServerError, "api_error", null, "An unknown error occurred");
                case StripeFault.ServerErrorDoNotRetry:
                    context.Response.Headers["Stripe-Should-Retry"] = "false";
                    return Error(StatusCodes.Status500InternalServerError, "api_error", null, "An unknown error occurred");
                default:
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    return Results.Empty;
            }
        }

        var query = context.Request.Query;
        var (objects, url) = resource switch
        {
            "customers" => (Customers.AsEnumerable(), "/v1/customers"),
            // Without status (or with status=all) Stripe leaves canceled subscriptions out unless asked for all.
            "subscriptions" => (Subscriptions.Where(s => query["status"] == "all" || (query["status"].Count == 0 ? (string?)s["status"] != "canceled" : (string?)s["status"] == query["status"])), "/v1/subscriptions"),
            "invoices" => (Invoices.Where(i => query["status"].Count == 0 || (string?)i["status"] == query["status"]), "/v1/invoices"),
            _ => (null, null),
        };
        if (objects is null) return Error(StatusCodes.Status404NotFound, "invalid_request_error", null, $"Unrecognized request URL (GET: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
        var limit = 10;
        if (query["limit"].Count > 0 && (!int.TryParse(query["limit"], out limit) || limit is < 1 or > 100))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "parameter_invalid_integer", "Invalid integer: limit must be between 1 and 100.", "limit");
        }
        var ordered = objects.OrderByDescending(o => (long)o["created"]!).ThenByDescending(o => (string)o["id"]!, StringComparer.Ordinal).ToList();
        var start = 0;
        if (query["starting_after"].ToString() is { Length: > 0 } after)
        {
            var index = ordered.FindIndex(o => (string?)o["id"] == after);
            if (index < 0) return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "resource_missing", $"No such {resource.TrimEnd('s')}: '{after}'", "starting_after");
            start = index + 1;
        }
        var page = ordered.Skip(start).Take(limit).Select(o => o.DeepClone()).ToArray();
        var envelope = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page),
            ["has_more"] = start + limit < ordered.Count,
            ["url"] = url,
        };
        return Results.Text(envelope.ToJsonString(), "application/json");
    }

    private static IResult Error(int status, string type, string? code, string message, string? param = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type };
        if (code is not null) error["code"] = code;
        if (param is not null) error["param"] = param;
        return Results.Text(new JsonObject { ["error"] = error }.ToJsonString(), "application/json", statusCode: status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
