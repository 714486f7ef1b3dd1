using GrowthBot.Core.ApiKeys;

namespace GrowthBot.Storage.Tests;

/// <summary>API keys survive a reopen; names are one name ignoring case; ids match exactly.</summary>
public sealed class LiteApiKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static StoredApiKey Key(string id, string name) =>
        new(id, name, ApiKeyService.Hash("secret-" + id), [ApiKeyScopes.Ingest, ApiKeyScopes.Admin], Now, Now.AddDays(30), null);

    [Fact]
    public void Keys_RoundTrip_AndSurviveAReopen()
    {
        using (var store = _temp.Open())
        {
            Assert.True(new LiteApiKeyStore(store).TryAdd(Key("0123456789ab", "Billing")));
        }

        using var reopened = _temp.Open();
        var key = new LiteApiKeyStore(reopened).Find("0123456789ab");
        Assert.NotNull(key);
        Assert.Equal("Billing", key.Name);
        Assert.Equal(ApiKeyService.Hash("secret-0123456789ab"), key.SecretHash);
        Assert.Equal([ApiKeyScopes.Ingest, ApiKeyScopes.Admin], key.Scopes);
        Assert.Equal(Now, key.CreatedAt);
        Assert.Equal(Now.AddDays(30), key.ExpiresAt);
        Assert.Null(key.RevokedAt);
    }

    [Fact]
    public void Names_AreOneNameIgnoringCase_AndIdsMatchExactly()
    {
        using var store = _temp.Open();
        var keys = new LiteApiKeyStore(store);
        keys.TryAdd(Key("0123456789ab", "Billing"));

        Assert.False(keys.TryAdd(Key("ba9876543210", "billing")));
        Assert.Equal("0123456789ab", keys.FindByName("BILLING")?.Id);
        Assert.Null(keys.Find("0123456789AB"));
        Assert.Single(keys.All());
    }

    [Fact]
    public void Revoke_OnceThenNoMore()
    {
        using var store = _temp.Open();
        var keys = new LiteApiKeyStore(store);
        keys.TryAdd(Key("0123456789ab", "Billing"));

        Assert.True(keys.Revoke("billing", Now.AddHours(1)));
        Assert.False(keys.Revoke("billing", Now.AddHours(2)));
        Assert.False(keys.Revoke("nobody", Now));
        Assert.Equal(Now.AddHours(1), keys.Find("0123456789ab")?.RevokedAt);
    }
}
