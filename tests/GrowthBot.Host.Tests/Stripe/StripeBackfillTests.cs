using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GrowthBot.Connectors.Stripe.Backfill;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Api;
using GrowthBot.Host.Tests.Cli;
using GrowthBot.Slack.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Tests.Stripe;

/// <summary>
/// <c>growthbot connect stripe --backfill</c> and the host's backfill, against a loopback fake of
/// Stripe's API that pages and fails as Stripe does; webhooks signed by the stripe npm package.
/// </summary>
public sealed class StripeBackfillTests : IAsyncLifetime
{
    private const string Key = "rk_test_51QGrowthBotReadOnly0123456789";
    private const string Secret = "whsec_test_growthbot_0123456789abcdef";
    // 2025-01-01, 2025-03-01, 2025-05-01 (UTC); the host's clock is 2025-06-15 12:00.
    private const long January = 1735689600, March = 1740787200, May = 1746057600;
    private readonly FakeStripeApi _stripe = new(Key);
    private ApiHost _host = null!;

    public Task InitializeAsync()
    {
        _host = Host(new Dictionary<string, string>());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _stripe.DisposeAsync();
    }

    private ApiHost Host(Dictionary<string, string> extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["Stripe:WebhookSecret"] = Secret,
            ["Stripe:SecretKey"] = Key,
            ["Stripe:ApiBase"] = _stripe.BaseUrl,
        };
        foreach (var (name, value) in extra) settings[name] = value;
        return new ApiHost(settings);
    }

    [Fact]
    public async Task Backfill_ManyPages_ReadsEveryObjectWithCursorsAndMapsItLikeAWebhook()
    {
        for (var i = 0; i < 250; i++) _stripe.AddCustomer($"cus_{i:D4}", $"Customer {i}", January + i, segment: i == 0 ? "Enterprise" : null);
        _stripe.AddSubscription("sub_0001", "cus_0000", March, quantity: 3);
        _stripe.AddInvoice("in_0001", "cus_0000", 14700, March + 5);

        var report = await RunAsync();

        Assert.Equal((250, 1, 1), (report.Customers, report.Subscriptions, report.Invoices));
        var rows = Rows();
        Assert.Equal(250, rows.Customers.Count);
        Assert.Equal("Enterprise", rows.Customers.Single(customer => customer.Id == "cus_0000").Segment);
        Assert.Equal("unassigned", rows.Customers.Single(customer => customer.Id == "cus_0001").Segment);
        var mrr = Assert.Single(rows.Subscriptions);
        Assert.Equal((147m, DateTimeOffset.FromUnixTimeSeconds(March).UtcDateTime), (mrr.Mrr, mrr.At));
        Assert.Equal(147m, Assert.Single(rows.Orders).Amount);
        Assert.Equal(250, _host.Service<IMetricEngine>().Statistics.Customers);
        var customerPages = _stripe.Requests.Where(request => request.StartsWith("/v1/customers", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, customerPages.Count);
        Assert.Contains("starting_after=cus_0150", customerPages[1], StringComparison.Ordinal);
        var subscriptions = WebUtility.UrlDecode(_stripe.Requests.Single(request => request.StartsWith("/v1/subscriptions", StringComparison.Ordinal)));
        Assert.Contains("status=all", subscriptions, StringComparison.Ordinal);
        Assert.Contains("=data.discounts.source.coupon", subscriptions, StringComparison.Ordinal);
        Assert.Contains("status=paid", _stripe.Requests.Single(request => request.StartsWith("/v1/invoices", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_RunTwice_SecondRunWritesNothing()
    {
        SeedAccount();
        var first = await RunAsync();
        var before = Rows();

        var second = await RunAsync();

        Assert.True(first.Applied > 0);
        Assert.Equal(0, second.Applied);
        Assert.Equal(first.Applied, second.Unchanged);
        var after = Rows();
        Assert.Equal(InAnyOrder(before.Customers), InAnyOrder(after.Customers));
        Assert.Equal(InAnyOrder(before.Subscriptions), InAnyOrder(after.Subscriptions));
        Assert.Equal(InAnyOrder(before.Orders), InAnyOrder(after.Orders));
    }

    [Fact]
    public async Task Backfill_SeveralSubscriptionsListedNewestFirst_AreSummedInTheOrderTheyStarted()
    {
        _stripe.AddCustomer("cus_a", "A", January);
        _stripe.AddSubscription("sub_early", "cus_a", January, quantity: 1);
        _stripe.AddSubscription("sub_later", "cus_a", May, quantity: 2);

        await RunAsync();

        Assert.Equal([49m, 147m], Rows().Subscriptions.OrderBy(change => change.At).Select(change => change.Mrr));
    }

    [Fact]
    public async Task Backfill_CanceledSubscription_PaidFromItsStartUntilItEnded()
    {
        _stripe.AddCustomer("cus_a", "A", January);
        _stripe.AddSubscription("sub_gone", "cus_a", January, quantity: 2, status: "canceled", endedAt: March);
        _stripe.AddSubscription("sub_trial", "cus_a", May, quantity: 1, status: "trialing", trialEnd: May + (86400 * 60));

        await RunAsync();

        var rows = Rows().Subscriptions.OrderBy(change => change.At).Select(change => (change.At, change.Mrr)).ToList();
        Assert.Equal([(DateTimeOffset.FromUnixTimeSeconds(January).UtcDateTime, 98m), (DateTimeOffset.FromUnixTimeSeconds(March).UtcDateTime, 0m)], rows);
    }

    [Fact]
    public async Task Backfill_WebhookNewerThanThePage_IsNotOverwrittenByTheBackfill()
    {
        _stripe.AddCustomer("cus_QGrowthAcme01", "Acme Inc.", January);
        // Stripe listed the subscription at 3 seats; an upgrade to 5 seats happened a minute after the page was read.
        _stripe.AddSubscription("sub_1QGrowthMonthly01", "cus_QGrowthAcme01", March, quantity: 3);
        var upgrade = Event("customer.subscription.updated", created: Now + 60);
        Assert.Equal(HttpStatusCode.OK, (await SendWebhookAsync(upgrade)).Status);

        var report = await RunAsync();

        Assert.Equal(1, report.Stale);
        Assert.Equal(245m, Rows().Subscriptions.MaxBy(change => change.At)!.Mrr);
    }

    [Fact]
    public async Task Backfill_ThenWebhooksForTheSameSubscription_CountItOnce()
    {
        _stripe.AddCustomer("cus_QGrowthAcme01", "Acme Inc.", January);
        _stripe.AddSubscription("sub_1QGrowthMonthly01", "cus_QGrowthAcme01", March, quantity: 3);
        await RunAsync();

        // The creation event Stripe retries late is older than the listed state; the upgrade after it is newer.
        var (lateStatus, lateBody) = await SendWebhookAsync(Event("customer.subscription.created", created: Now - 3600));
        _host.Factory.Time.Advance(TimeSpan.FromMinutes(5));
        var (status, _) = await SendWebhookAsync(Event("customer.subscription.updated", created: Now));

        Assert.Equal(HttpStatusCode.OK, lateStatus);
        Assert.Contains("stale", lateBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([147m, 245m], Rows().Subscriptions.OrderBy(change => change.At).Select(change => change.Mrr));
    }

    [Fact]
    public async Task Backfill_RateLimitedOnALaterPage_WaitsRetryAfterOnTheClockAndResumesFromTheLastObject()
    {
        for (var i = 0; i < 150; i++) _stripe.AddCustomer($"cus_{i:D4}", $"Customer {i}", January + i);
        _stripe.FailNext("/v1/customers", StripeFault.RateLimited, retryAfterSeconds: 7, laterPage: true);
        var started = _host.Factory.Time.GetUtcNow();

        var report = await RunAsync();

        Assert.Equal(150, report.Customers);
        Assert.Equal(150, Rows().Customers.Count);
        Assert.True(_host.Factory.Time.GetUtcNow() - started >= TimeSpan.FromSeconds(7));
        var pages = _stripe.Requests.Where(request => request.StartsWith("/v1/customers", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, pages.Count);
        Assert.Equal(pages[1], pages[2]);
        Assert.Contains(_host.Factory.Logs.Lines, line => line.Contains("retrying in 7 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backfill_LockTimeoutServerErrorAndTimeout_AreRetried()
    {
        await using var host = new ReplacedHost(this, new Dictionary<string, string> { ["Stripe:RequestTimeoutSeconds"] = "1" });
        SeedAccount();
        _stripe.FailNext("/v1/customers", StripeFault.LockTimeout);
        _stripe.FailNext("/v1/customers", StripeFault.ServerError);
        _stripe.FailNext("/v1/customers", StripeFault.Hang);

        var report = await RunAsync();

        Assert.Equal(2, report.Customers);
        Assert.Equal(6, _stripe.Requests.Count);
    }

    [Fact]
    public async Task Backfill_StripeSaysDoNotRetry_StopsKeepingWhatItAppliedAndARerunCompletes()
    {
        SeedAccount();
        _stripe.FailNext("/v1/subscriptions", StripeFault.ServerErrorDoNotRetry);

        var stop = await Assert.ThrowsAsync<StripeBackfillException>(RunAsync);
        var rerun = await RunAsync();

        Assert.Contains("500 api_error", stop.Message, StringComparison.Ordinal);
        Assert.Contains("run the backfill again", stop.Message, StringComparison.Ordinal);
        Assert.Equal(2, rerun.Unchanged);
        Assert.Single(Rows().Orders);
        Assert.NotEmpty(Rows().Subscriptions);
    }

    [Fact]
    public async Task Backfill_StripeKeepsFailing_StopsAfterMaxAttempts()
    {
        await using var host = new ReplacedHost(this, new Dictionary<string, string> { ["Stripe:MaxAttempts"] = "2" });
        SeedAccount();
        _stripe.FailNext("/v1/customers", StripeFault.ServerError);
        _stripe.FailNext("/v1/customers", StripeFault.ServerError);

        var stop = await Assert.ThrowsAsync<StripeBackfillException>(RunAsync);

        Assert.Contains("2 attempts", stop.Message, StringComparison.Ordinal);
        Assert.Equal(2, _stripe.RequestCount);
    }

    [Fact]
    public async Task Backfill_BadKey_StopsWithStripesReasonAndNeverShowsTheKey()
    {
        await using var host = new ReplacedHost(this, new Dictionary<string, string> { ["Stripe:SecretKey"] = "rk_test_revoked_0000000000000000000" });
        SeedAccount();

        var stop = await Assert.ThrowsAsync<StripeBackfillException>(RunAsync);

        Assert.Contains("Stripe refused the key (401)", stop.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rk_test_revoked_0000000000000000000", stop.Message, StringComparison.Ordinal);
        Assert.Equal(1, _stripe.RequestCount);
        Assert.True(_host.Service<IGrowthStore>().IsEmpty);
    }

    [Fact]
    public void Cli_HostHoldsTheStore_BackfillRunsInTheHostWithProgressAndIsIdempotent()
    {
        SeedAccount();

        var (code, output, error) = RunCli(["connect", "stripe", "--backfill", "--db", _host.Store.DbPath]);
        var (again, repeated, _) = RunCli(["connect", "stripe", "--backfill", "--db", _host.Store.DbPath]);

        Assert.True(code == 0, error);
        Assert.Contains("A GrowthBot host holds", error, StringComparison.Ordinal);
        Assert.Contains("customers 0 read", error, StringComparison.Ordinal);
        Assert.Contains("read 2 customers, 1 subscriptions, 1 paid invoices; 4 changes applied", output, StringComparison.Ordinal);
        Assert.Equal(2, _host.Service<IMetricEngine>().Statistics.Customers);
        Assert.Equal(0, again);
        Assert.Contains("0 changes applied, 4 already there", repeated, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_NoHost_WritesTheStoreItself()
    {
        SeedAccount();
        using var store = new TempStore();
        var settings = new Dictionary<string, string?> { ["Stripe:SecretKey"] = Key, ["Stripe:ApiBase"] = _stripe.BaseUrl };

        var (code, output, error) = CliRunner.RunWith(settings, "connect", "stripe", "--backfill", "--db", store.DbPath);
        var (again, repeated, _) = CliRunner.RunWith(settings, "connect", "stripe", "--backfill", "--db", store.DbPath);
        var (noKey, _, noKeyError) = CliRunner.RunWith(new Dictionary<string, string?>(), "connect", "stripe", "--backfill", "--db", store.DbPath);

        Assert.True(code == 0, error);
        Assert.Contains("4 changes applied", output, StringComparison.Ordinal);
        Assert.Equal(0, again);
        Assert.Contains("0 changes applied, 4 already there", repeated, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, noKey);
        Assert.Contains("Stripe__SecretKey", noKeyError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithoutASecretKeyOnTheHost_Is503()
    {
        await using var host = new ReplacedHost(this, new Dictionary<string, string> { ["Stripe:SecretKey"] = "" });
        using var client = _host.Client(_host.Key("ops"));

        using var response = await client.PostAsync("api/v1/connect/stripe/backfill", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Stripe__SecretKey", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private long Now => _host.Factory.Time.GetUtcNow().ToUnixTimeSeconds();

    private void SeedAccount()
    {
        _stripe.AddCustomer("cus_a", "A", January);
        _stripe.AddCustomer("cus_b", "B", March);
        _stripe.AddSubscription("sub_a", "cus_a", January, quantity: 2);
        _stripe.AddInvoice("in_a", "cus_a", 9800, March);
    }

    /// <summary>Runs the host's backfill, moving the host's fake clock on while it waits to retry.</summary>
    private async Task<StripeBackfillReport> RunAsync()
    {
        var running = _host.Service<StripeBackfill>().RunAsync(null, CancellationToken.None);
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(20));
            if (!running.IsCompleted) _host.Factory.Time.Advance(TimeSpan.FromSeconds(1));
        }
        return await running;
    }

    private (int Code, string Output, string Error) RunCli(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(output, error, _host.Factory.Time, new ConfigurationBuilder().Build())
        {
            HttpClientFactory = baseAddress => new HttpClient(_host.Factory.Server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Loopback)) { BaseAddress = baseAddress },
        };
        return (GrowthBotCli.Run(args, context), output.ToString(), error.ToString());
    }

    private static JsonObject Event(string fixture, long created)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Stripe", "Fixtures", fixture + ".json")))!.AsObject();
        json["id"] = $"evt_{fixture.Replace(".", "_", StringComparison.Ordinal)}_{created}";
        json["created"] = created;
        return json;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendWebhookAsync(JsonObject json)
    {
        var payload = json.ToJsonString();
        NodeTools.EnsureInstalled();
        var file = _host.Store.WriteFile($"payload-{Guid.NewGuid():N}.json", payload);
        var (code, signature) = NodeTools.Run("node", ["stripe-sign.js", file, Secret, Now.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, signature);
        using var client = _host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature.Trim());
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A full read hands rows over in no particular order (two threads read each collection): compare them sorted.</summary>
    private static IEnumerable<T> InAnyOrder<T>(IEnumerable<T> rows) where T : notnull => rows.OrderBy(row => row.ToString(), StringComparer.Ordinal);

    private Rows Rows()
    {
        var rows = new Rows();
        _host.Service<IGrowthStore>().ReadAll(rows);
        return rows;
    }

    /// <summary>Swaps the test's host for one with other settings for the rest of the test.</summary>
    private sealed class ReplacedHost : IAsyncDisposable
    {
        public ReplacedHost(StripeBackfillTests test, Dictionary<string, string> settings)
        {
            test._host.Dispose();
            test._host = test.Host(settings);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal sealed class Rows : IGrowthDataSink
{
    public List<Customer> Customers { get; } = [];
    public List<SubscriptionChange> Subscriptions { get; } = [];
    public List<Order> Orders { get; } = [];

    public void Add(Customer customer) => Customers.Add(customer);

    public void Add(SubscriptionChange change) => Subscriptions.Add(change);

    public void Add(Order order) => Orders.Add(order);

    public void Add(SpendEntry spend) { }

    public void Add(Ticket ticket) { }

    public void Add(SurveyResponse response) { }
}
