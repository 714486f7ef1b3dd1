using System.Net;
using System.Text.Json;
using GrowthBot.Core.ApiKeys;
using GrowthBot.Core.Ports;
using GrowthBot.Host.Tests.Api;
using GrowthBot.Storage.Tests.DiskFull;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// <c>/healthz</c> tells anyone only ok (200) or degraded (503); what the bot holds, its store and its
/// sources are behind the admin credential at <c>/internal/health</c>.
/// </summary>
public sealed class HealthEndpointsTests : IDisposable
{
    private static readonly Uri Healthz = new("healthz", UriKind.Relative);
    private static readonly Uri Detail = new("internal/health", UriKind.Relative);
    private readonly ApiHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Healthz_Anyone_SaysOnlyOk()
    {
        _host.StoreCustomers("c1", "c2");
        using var client = _host.Client(remote: IPAddress.Parse("203.0.113.9"));

        using var response = await client.GetAsync(Healthz);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InternalHealth_WithoutAdminCredential_IsRefused()
    {
        using var anonymous = _host.Client();
        using var ingest = _host.Client(_host.Key("crm", ApiKeyScopes.Ingest));

        using var noKey = await anonymous.GetAsync(Detail);
        using var wrongScope = await ingest.GetAsync(Detail);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.DoesNotContain("customers", await noKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InternalHealth_AdminKey_ShowsCountsStoreSourcesAndPlatforms()
    {
        using var client = _host.Client(_host.Key("ops", ApiKeyScopes.Admin));
        (await client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative), ApiHost.Body(
            "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nc1,,SMB,ads,2025-01-05,\nc2,,SMB,ads,2025-01-06,\n", "text/csv"))).Dispose();

        using var response = await client.GetAsync(Detail);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(2, health.GetProperty("customers").GetInt32());
        Assert.Equal("store", health.GetProperty("indexedFrom").GetString());
        Assert.True(health.GetProperty("store").GetProperty("writable").GetBoolean());
        Assert.Equal(_host.Store.DbPath, health.GetProperty("store").GetProperty("path").GetString());
        Assert.True(health.GetProperty("sources").TryGetProperty("billing", out _));
        Assert.False(health.GetProperty("platforms").GetProperty("slack").GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task Healthz_StoreCannotWrite_Is503Degraded()
    {
        using var store = new TempStore();
        using var host = new GrowthBotFactory(store.DbPath, "Production");
        using var factory = host.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<IStoreHealth>(new FailingStore()))));
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(Healthz);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"degraded"}""", await response.Content.ReadAsStringAsync());
    }

    /// <summary>A store whose writes fail, as a full disk makes them.</summary>
    private sealed class FailingStore : IStoreHealth
    {
        public StoreHealthReport Current { get; } = new(false, "No space left on device", DateTimeOffset.UnixEpoch);

        public bool Probe() => false;
    }
}

/// <summary>The host on a real small disk that fills up and is freed: it says degraded, refuses clearly, and recovers without a restart.</summary>
public sealed class DiskFullHostTests : IDisposable
{
    private readonly SmallDisk? _disk = SmallDisk.WhyNot is null ? SmallDisk.Mount(16) : null;

    public void Dispose() => _disk?.Dispose();

    [SmallDiskFact]
    public async Task Host_DiskFullThenFreed_SaysDegradedRefusesImportsAndRecoversByItself()
    {
        var storePath = Path.Combine(_disk!.Folder, "growthbot.db");
        using var factory = new GrowthBotFactory(storePath, "Production");
        using var admin = factory.AdminClient();
        using var anyone = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await ImportCustomerAsync(admin, "c1")).StatusCode);

        _disk.Fill();
        using var refused = await ImportCustomerAsync(admin, "c2");
        using var degraded = await anyone.GetAsync(new Uri("healthz", UriKind.Relative));
        var detail = await factory.DetailedHealthAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("nothing was written", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, degraded.StatusCode);
        Assert.Equal("""{"status":"degraded"}""", await degraded.Content.ReadAsStringAsync());
        Assert.Contains("No space left on device", detail.GetProperty("store").GetProperty("problem").GetString(), StringComparison.Ordinal);

        _disk.Free();
        // Nothing else writes: the host's probe finds out by itself, at its next tick.
        factory.Time.Advance(GrowthBot.Host.Hosting.StoreHealthProbe.Interval);
        Assert.True(await EventuallyAsync(async () => (await anyone.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode == HttpStatusCode.OK));
        Assert.Contains(factory.Logs.Lines, line => line.Contains("The store writes again", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await ImportCustomerAsync(admin, "c2")).StatusCode);
        Assert.Equal(2, (await factory.DetailedHealthAsync()).GetProperty("customers").GetInt32());
    }

    [SmallDiskFact]
    public void CliImport_DiskFull_SaysTheStoreCannotWriteAndWritesNothing()
    {
        using var files = new TempStore();
        var storePath = Path.Combine(_disk!.Folder, "growthbot.db");
        var first = files.WriteFile("first.csv", "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nc1,Acme,SMB,ads,2025-01-05,\n");
        var second = files.WriteFile("second.csv", $"customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nc2,{new string('n', 3000)},SMB,ads,2025-01-05,\n");
        Assert.Equal(0, Cli.CliRunner.Run("import", "customers", first, "--db", storePath).ExitCode);

        _disk.Fill();
        var (code, _, error) = Cli.CliRunner.Run("import", "customers", second, "--db", storePath);
        _disk.Free();

        Assert.Equal(7, code);
        Assert.Contains("The store cannot write right now (No space left on device", error, StringComparison.Ordinal);
        using var store = new Storage.LiteGrowthStore(new Storage.StorageOptions { Path = storePath });
        Assert.Equal(["c1"], store.CustomerIds());
    }

    [SmallDiskFact]
    public async Task HostProcess_DiskFull_RefusesQuicklyAndStopsPromptlyOnSigterm()
    {
        var storePath = Path.Combine(_disk!.Folder, "growthbot.db");
        using var host = HostProcess.Start(storePath, "Production", "--urls", "http://127.0.0.1:0");
        Assert.True(host.WaitForOutput("Application started", TimeSpan.FromSeconds(90)), host.Output);
        var hostFile = GrowthBot.Host.Api.HostFile.Read(storePath)!;
        using var admin = new HttpClient { BaseAddress = new Uri(hostFile.Url.TrimEnd('/') + "/") };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", hostFile.Key);
        Assert.Equal(HttpStatusCode.OK, (await ImportCustomerAsync(admin, "c1")).StatusCode);

        _disk.Fill();
        // Twice: the first failure must leave no lock behind for the second (LiteDB alone: a 60 s wait, then a timeout).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ImportCustomerAsync(admin, "c2")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ImportCustomerAsync(admin, "c3")).StatusCode);
        host.SendSigterm();

        // Well under LiteDB's 60 s lock timeout, which a lock left held by the failed write would cost.
        Assert.Equal(0, host.WaitForExit(TimeSpan.FromSeconds(30)));
        _disk.Free();
        using var store = new Storage.LiteGrowthStore(new Storage.StorageOptions { Path = storePath });
        Assert.Equal(["c1"], store.CustomerIds());
    }

    private static Task<HttpResponseMessage> ImportCustomerAsync(HttpClient client, string id) =>
        client.PostAsync(new Uri("api/v1/import/customers", UriKind.Relative),
            ApiHost.Body($"customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\n{id},{new string('n', 3000)},SMB,ads,2025-01-05,\n", "text/csv"));

    /// <summary>Waits (briefly, in real time) for what a background tick does after the fake clock moved.</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return false;
    }
}

/// <summary>A Slack event while the store's disk is full: refused with 503 (Slack retries it), answered once the disk is freed.</summary>
public sealed class DiskFullSlackTests : IDisposable
{
    private readonly SmallDisk? _disk = SmallDisk.WhyNot is null ? SmallDisk.Mount(16) : null;

    public void Dispose() => _disk?.Dispose();

    [SmallDiskFact]
    public async Task SlackEvent_DiskFullBeforeTheFirstRequest_Is503ThenItsRetryIsAnswered()
    {
        await using var slack = await Slack.FakeSlackWebApi.StartAsync();
        await using var host = new Slack.SlackHostFactory(slack, Path.Combine(_disk!.Folder, "growthbot.db"), new Slack.EchoHandler());
        host.CreateClient().Dispose();
        var mention = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "app_mention.json"));

        // The disk fills before any request: the store's services are first made by this request.
        _disk.Fill();
        using var refused = await host.PostEventAsync(mention);
        _disk.Free();
        using var retried = await host.PostEventAsync(mention, new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_error" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Single(await slack.WaitForAsync("chat.postMessage"));
    }

    [SmallDiskFact]
    public async Task SlackEvent_DiskFull_Is503ThenItsRetryIsAnswered()
    {
        await using var slack = await Slack.FakeSlackWebApi.StartAsync();
        await using var host = new Slack.SlackHostFactory(slack, Path.Combine(_disk!.Folder, "growthbot.db"), new Slack.EchoHandler());
        host.CreateClient().Dispose();
        var mention = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "app_mention.json"));
        // A host that has served requests before its disk fills (the store's services are made on first use).
        (await host.PostEventAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Slack", "Fixtures", "url_verification.json")))).Dispose();

        _disk.Fill();
        using var refused = await host.PostEventAsync(mention);
        _disk.Free();
        using var retried = await host.PostEventAsync(mention, new Dictionary<string, string> { ["X-Slack-Retry-Num"] = "1", ["X-Slack-Retry-Reason"] = "http_error" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("30", refused.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Single(await slack.WaitForAsync("chat.postMessage"));
    }
}
