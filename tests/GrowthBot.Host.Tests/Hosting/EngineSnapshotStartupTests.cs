using System.Text.Json;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>The engine snapshot beside the store: written when the host stops, used at the next start only while current.</summary>
public sealed class EngineSnapshotStartupTests : IDisposable
{
    private readonly TempStore _store = new();

    [Fact]
    public async Task Restart_OnAnUnchangedStore_LoadsTheSnapshot_AndAfterAnImport_TheStore()
    {
        var first = await HealthAfterStartAsync();
        Assert.Equal("store", first.GetProperty("indexedFrom").GetString());
        Assert.True(File.Exists(_store.DbPath + ".engine"));

        var second = await HealthAfterStartAsync();
        Assert.Equal("snapshot", second.GetProperty("indexedFrom").GetString());
        Assert.Equal(first.GetProperty("customers").GetInt32(), second.GetProperty("customers").GetInt32());
        Assert.Equal(first.GetProperty("subscriptionMovements").GetInt32(), second.GetProperty("subscriptionMovements").GetInt32());

        var customers = _store.WriteFile("more.csv", "customer_id,name,segment,acquisition_channel,signed_up_at,activated_at\nextra-1,Extra,SMB,organic,2025-06-01,\n");
        Assert.Equal(0, Cli.CliRunner.Run("import", "customers", customers, "--db", _store.DbPath).ExitCode);

        var third = await HealthAfterStartAsync();
        Assert.Equal("store", third.GetProperty("indexedFrom").GetString());
        Assert.Equal(first.GetProperty("customers").GetInt32() + 1, third.GetProperty("customers").GetInt32());
    }

    [Fact]
    public async Task DamagedSnapshot_IsIgnoredAndTheStoreIndexed()
    {
        await HealthAfterStartAsync();
        var snapshot = _store.DbPath + ".engine";
        var bytes = await File.ReadAllBytesAsync(snapshot);
        await File.WriteAllBytesAsync(snapshot, bytes[..(bytes.Length / 2)]);

        var health = await HealthAfterStartAsync();

        Assert.Equal("store", health.GetProperty("indexedFrom").GetString());
        Assert.True(health.GetProperty("customers").GetInt32() > 1000);
    }

    [Fact]
    public async Task FlippedByte_IsIgnoredWithAWarning_TheStoreIndexed_AndASoundSnapshotWritten()
    {
        var first = await HealthAfterStartAsync();
        var snapshot = _store.DbPath + ".engine";
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[bytes.Length / 2] ^= 0x04;
        await File.WriteAllBytesAsync(snapshot, bytes);

        JsonElement second;
        using (var factory = new GrowthBotFactory(_store.DbPath, "Development"))
        {
            second = await factory.DetailedHealthAsync();
            Assert.Single(factory.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) && line.Contains("checksum does not match", StringComparison.Ordinal));
        }
        var third = await HealthAfterStartAsync();

        Assert.Equal("store", second.GetProperty("indexedFrom").GetString());
        Assert.Equal(first.GetProperty("customers").GetInt32(), second.GetProperty("customers").GetInt32());
        Assert.Equal(first.GetProperty("subscriptionMovements").GetInt32(), second.GetProperty("subscriptionMovements").GetInt32());
        Assert.Equal("snapshot", third.GetProperty("indexedFrom").GetString());
    }

    public void Dispose() => _store.Dispose();

    private async Task<JsonElement> HealthAfterStartAsync()
    {
        using var factory = new GrowthBotFactory(_store.DbPath, "Development");
        return await factory.DetailedHealthAsync();
    }
}
