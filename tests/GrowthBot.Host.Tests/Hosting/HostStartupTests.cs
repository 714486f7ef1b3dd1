using System.Net;
using System.Text.Json;
using GrowthBot.Core.Metrics;
using GrowthBot.Host.Hosting;
using GrowthBot.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Hosting;

public sealed class HostStartupTests : IDisposable
{
    private readonly TempStore _store = new();

    [Fact]
    public async Task Start_DevelopmentWithEmptyStore_LoadsDemoDataAndAnswersHealth()
    {
        using var factory = new GrowthBotFactory(_store.DbPath, "Development");
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.True((await factory.DetailedHealthAsync()).GetProperty("customers").GetInt32() > 1000);
        Assert.True(File.Exists(_store.DbPath));
        // The demo history ends at the injected clock, so "this month" has answers.
        var engine = factory.Services.GetRequiredService<IMetricEngine>();
        var nps = engine.Answer(new MetricQuery(MetricId.Nps, new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), factory.Time.GetUtcNow().UtcDateTime));
        Assert.NotNull(nps.Result.Value);
    }

    [Fact]
    public async Task Start_ProductionWithEmptyStore_NeverLoadsDemoData()
    {
        using var factory = new GrowthBotFactory(_store.DbPath, "Production");
        var health = await factory.DetailedHealthAsync();

        Assert.Equal(0, health.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task Start_ExistingStore_IndexesItWithoutAddingDemoData()
    {
        var customers = _store.WriteFile("customers.csv", "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nc1,Acme,SMB,organic,2025-01-05,\n");
        Assert.Equal(0, Cli.CliRunner.Run("import", "customers", customers, "--db", _store.DbPath).ExitCode);
        using var factory = new GrowthBotFactory(_store.DbPath, "Development");
        var health = await factory.DetailedHealthAsync();

        Assert.Equal(1, health.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task Start_StoreHeldByAnotherProcess_RefusesWithAClearMessage()
    {
        using var holder = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });

        // The host's own composition, started directly: through WebApplicationFactory the failed start races the
        // factory, which then reads the disposed host's services (ObjectDisposedException; seen once in five full runs).
        var exception = await Assert.ThrowsAsync<StoreLockedException>(async () =>
        {
            await using var app = GrowthBotApp.Build(
                ["--environment", "Development", "--urls", "http://127.0.0.1:0", "--Storage:Path", _store.DbPath],
                builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero)))));
            await app.StartAsync();
        });

        Assert.Contains(_store.DbPath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("LiteDB must have exactly one writer", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_ReleasesTheStoreForTheNextProcess()
    {
        using (var factory = new GrowthBotFactory(_store.DbPath, "Production"))
        {
            using var client = factory.CreateClient();
            await client.GetStringAsync(new Uri("/healthz", UriKind.Relative));
        }

        using var next = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        Assert.True(next.IsEmpty);
    }

    [Fact]
    public void Start_InvalidSettings_FailsAtStartWithTheSettingNamed()
    {
        using var factory = new GrowthBotFactory(_store.DbPath, "Production");
        using var configured = factory.WithWebHostBuilder(builder => builder.UseSetting("Metrics:GrossMargin", "1.5"));

        var exception = Assert.ThrowsAny<Exception>(() => configured.CreateClient());

        Assert.Contains("GrossMargin", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_AccountabilityOverride_ReplacesTheDefaultTeams()
    {
        using var factory = new GrowthBotFactory(_store.DbPath, "Production");
        using var configured = factory.WithWebHostBuilder(builder => builder
            .UseSetting("Metrics:Teams:ltv", "Finance, Sales")
            .UseSetting("Metrics:Teams:fcr:0", "Service"));
        using var client = configured.CreateClient();

        var accountability = configured.Services.GetRequiredService<Accountability>();

        Assert.Equal([Team.Finance, Team.Sales], accountability.TeamsFor(MetricId.Ltv));
        Assert.Equal([Team.Service], accountability.TeamsFor(MetricId.Fcr));
        Assert.Equal([Team.Product], accountability.TeamsFor(MetricId.Activation));
        Assert.Contains(MetricId.Ltv, accountability.MetricsFor(Team.Finance));
    }

    [Theory]
    [InlineData("Metrics:Teams:lifetime", "Sales", "names an unknown metric")]
    [InlineData("Metrics:Teams:ltv", "Legal", "names an unknown team 'Legal'")]
    public void Start_BadAccountabilitySetting_FailsNamingIt(string key, string value, string expected)
    {
        using var factory = new GrowthBotFactory(_store.DbPath, "Production");
        using var configured = factory.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var exception = Assert.ThrowsAny<Exception>(() => configured.CreateClient());

        Assert.Contains(expected, exception.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _store.Dispose();
}
