using GrowthBot.Core.ApiKeys;
using GrowthBot.Host.Cli;
using GrowthBot.Storage;

namespace GrowthBot.Host.Tests.Cli;

/// <summary><c>growthbot apikey</c> on a store no host holds.</summary>
public sealed class ApiKeyCommandTests : IDisposable
{
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Create_PrintsTheKeyOnceAndStoresOnlyItsHash()
    {
        var (code, output, error) = CliRunner.Run("apikey", "create", "crm", "--scopes", "ingest,admin", "--db", _store.DbPath);

        Assert.Equal(0, code);
        var key = output.Trim();
        Assert.Matches("^gb_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        Assert.Contains("shown only now", error, StringComparison.Ordinal);
        using var store = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        var keys = new LiteApiKeyStore(store);
        var stored = Assert.Single(keys.All());
        Assert.Equal(["ingest", "admin"], stored.Scopes);
        Assert.Equal(ApiKeyService.Hash(key[(key.IndexOf('_', 3) + 1)..]), stored.SecretHash);
        Assert.Equal(ApiKeyVerdict.Valid, new ApiKeyService(keys, TimeProvider.System).Check(key).Verdict);
    }

    [Fact]
    public void List_ShowsIdsScopesAndStateButNoSecret()
    {
        var key = CliRunner.Run("apikey", "create", "crm", "--expires", "2025-07-01", "--db", _store.DbPath).Output.Trim();
        CliRunner.Run("apikey", "create", "old", "--db", _store.DbPath);
        CliRunner.Run("apikey", "revoke", "OLD", "--db", _store.DbPath);

        var (code, output, _) = CliRunner.Run("apikey", "list", "--db", _store.DbPath);

        Assert.Equal(0, code);
        Assert.Contains($"crm  {key[..16]}…  ingest  created 2025-06-15  active until 2025-07-01", output, StringComparison.Ordinal);
        Assert.Contains("old  gb_", output, StringComparison.Ordinal);
        Assert.Contains("revoked 2025-06-15", output, StringComparison.Ordinal);
        Assert.DoesNotContain(key[16..], output, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_SameNameTwice_IsRefused()
    {
        CliRunner.Run("apikey", "create", "crm", "--db", _store.DbPath);

        var (code, output, error) = CliRunner.Run("apikey", "create", "CRM", "--db", _store.DbPath);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Empty(output);
        Assert.Contains("exists already", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Revoke_UnknownName_SaysSo()
    {
        var (code, _, error) = CliRunner.Run("apikey", "revoke", "nobody", "--db", _store.DbPath);

        Assert.Equal(ExitCodes.BadData, code);
        Assert.Contains("No active API key named 'nobody'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownScopeOrPastExpiry_IsAUsageError()
    {
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("apikey", "create", "x", "--scopes", "everything", "--db", _store.DbPath).ExitCode);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("apikey", "create", "x", "--expires", "2020-01-01", "--db", _store.DbPath).ExitCode);
        Assert.Equal(ExitCodes.Usage, CliRunner.Run("apikey", "delete", "x", "--db", _store.DbPath).ExitCode);
    }
}
