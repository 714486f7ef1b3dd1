using GrowthBot.Tests.Postgres;
using Npgsql;

namespace GrowthBot.Cluster.Tests.TestServer;

/// <summary>
/// A test run killed from outside never disposes its PostgreSQL server, which then keeps running from
/// its temporary folder. The next server started on the machine stops such orphans and deletes their
/// folders, and leaves the servers of runs that are still alive alone.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class OrphanedServerTests
{
    [Fact]
    public async Task Start_ServerWhoseTestProcessIsGone_IsStoppedAndItsFolderDeleted()
    {
        await using var orphan = await PostgresServer.StartNewAsync();
        var folder = FolderOf(orphan);
        // A process id no live process has (above Linux's pid_max): the run that started it was killed.
        await File.WriteAllTextAsync(Path.Combine(folder, PostgresServer.OwnerFile), "2147483647 638000000000000000");

        await using var next = await PostgresServer.StartNewAsync();

        Assert.False(Directory.Exists(folder));
        // Unpooled: the orphan's own start left pooled connections in this process.
        await using var connection = new NpgsqlConnection(orphan.AdminConnectionString + ";Pooling=false");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    [Fact]
    public async Task Start_ServerOfALiveTestProcess_IsLeftRunning()
    {
        await using var alive = await PostgresServer.StartNewAsync();

        await using var next = await PostgresServer.StartNewAsync();

        Assert.True(Directory.Exists(FolderOf(alive)));
        await using var connection = new NpgsqlConnection(alive.AdminConnectionString);
        await connection.OpenAsync();
    }

    private static string FolderOf(PostgresServer server) =>
        Directory.GetDirectories(Path.GetTempPath(), "growthbot-pg-*")
            .Single(folder => File.Exists(Path.Combine(folder, "data", "postmaster.pid")) &&
                File.ReadLines(Path.Combine(folder, "data", "postmaster.pid")).Skip(3).First() == server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
