using GrowthBot.Core.ApiKeys;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>API keys survive a reopen; names are one name ignoring case; ids match exactly.</summary>
public abstract class ApiKeyStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    private static StoredApiKey Key(string id, string name) =>
        new(id, name, ApiKeyService.Hash("secret-" + id), [ApiKeyScopes.Ingest, ApiKeyScopes.Admin], Now, Now.AddDays(30), null);

    [Fact]
    public void Keys_RoundTrip_AndSurviveAReopen()
    {
        using (var store = Open())
        {
            Assert.True(store.ApiKeys.TryAdd(Key("0123456789ab", "Billing")));
        }

        using var reopened = Open();
        var key = reopened.ApiKeys.Find("0123456789ab");
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
        using var store = Open();
        var keys = store.ApiKeys;
        keys.TryAdd(Key("0123456789ab", "Billing"));

        Assert.False(keys.TryAdd(Key("ba9876543210", "billing")));
        Assert.Equal("0123456789ab", keys.FindByName("BILLING")?.Id);
        Assert.Null(keys.Find("0123456789AB"));
        Assert.Single(keys.All());
    }

    [Fact]
    public void TryAdd_SameIdUnderAnotherName_IsRefused()
    {
        using var store = Open();
        store.ApiKeys.TryAdd(Key("0123456789ab", "Billing"));

        Assert.False(store.ApiKeys.TryAdd(Key("0123456789ab", "Support")));
        Assert.Null(store.ApiKeys.FindByName("Support"));
    }

    [Fact]
    public void Revoke_OnceThenNoMore()
    {
        using var store = Open();
        var keys = store.ApiKeys;
        keys.TryAdd(Key("0123456789ab", "Billing"));

        Assert.True(keys.Revoke("billing", Now.AddHours(1)));
        Assert.False(keys.Revoke("billing", Now.AddHours(2)));
        Assert.False(keys.Revoke("nobody", Now));
        Assert.Equal(Now.AddHours(1), keys.Find("0123456789ab")?.RevokedAt);
    }
}
