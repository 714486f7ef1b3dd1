using GrowthBot.Storage.Postgres;
using GrowthBot.Tests.Postgres;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Host.Tests.Postgres;

/// <summary>
/// Two hosts' connections to one fresh PostgreSQL database on one fake clock: what a test of state shared
/// between hosts (pacing, rate limits) starts from.
/// </summary>
public abstract class TwoHostsOnOneDatabase(PostgresServer server) : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    protected PostgresDatabase HostA { get; private set; } = null!;

    protected PostgresDatabase HostB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        HostA = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString }, Time);
        HostB = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString }, Time);
    }

    public Task DisposeAsync()
    {
        HostA.Dispose();
        HostB.Dispose();
        return Task.CompletedTask;
    }
}
