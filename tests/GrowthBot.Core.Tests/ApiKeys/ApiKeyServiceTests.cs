using GrowthBot.Core.ApiKeys;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.ApiKeys;

public sealed class ApiKeyServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly MemoryKeys _store = new();

    private ApiKeyService Service => new(_store, _time);

    [Fact]
    public void Create_KeepsOnlyTheSecretsHash()
    {
        var created = Service.Create("crm", [ApiKeyScopes.Ingest]);

        Assert.Matches("^gb_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", created.Key);
        var stored = Assert.Single(_store.All());
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.DoesNotContain(created.Key[16..], stored.ToString(), StringComparison.Ordinal);
        Assert.Equal(ApiKeyVerdict.Valid, Service.Check(created.Key).Verdict);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("gb_")]
    [InlineData("gb_abc")]
    [InlineData("gb_ABCDEF012345_secret")]
    [InlineData("sk_test_123")]
    public void Check_Malformed_IsRefused(string? presented) =>
        Assert.Equal(ApiKeyVerdict.Malformed, Service.Check(presented).Verdict);

    [Fact]
    public void Check_WrongSecretRevokedExpiredUnknown_AreRefused()
    {
        var key = Service.Create("crm", [ApiKeyScopes.Ingest], _time.GetUtcNow().AddHours(1)).Key;
        var id = key[3..15];

        Assert.Equal(ApiKeyVerdict.WrongSecret, Service.Check($"gb_{id}_not-the-secret").Verdict);
        Assert.Equal(ApiKeyVerdict.Unknown, Service.Check("gb_000000000000_whatever").Verdict);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ApiKeyVerdict.Expired, Service.Check(key).Verdict);
        Assert.True(_store.Revoke("CRM", _time.GetUtcNow()));
        Assert.Equal(ApiKeyVerdict.Revoked, Service.Check(key).Verdict);
    }

    [Fact]
    public void Create_BadNameScopeOrExpiry_Throws()
    {
        Assert.Throws<ArgumentException>(() => Service.Create(" ", [ApiKeyScopes.Ingest]));
        Assert.Throws<ArgumentException>(() => Service.Create("x", []));
        Assert.Throws<ArgumentException>(() => Service.Create("x", ["root"]));
        Assert.Throws<ArgumentException>(() => Service.Create("x", [ApiKeyScopes.Ingest], _time.GetUtcNow()));
        Service.Create("x", [ApiKeyScopes.Ingest]);
        Assert.Throws<InvalidOperationException>(() => Service.Create("X", [ApiKeyScopes.Ingest]));
    }

    [Fact]
    public void Allows_AdminIncludesEveryScope()
    {
        Assert.True(ApiKeyScopes.Allows([ApiKeyScopes.Admin], ApiKeyScopes.Ingest));
        Assert.True(ApiKeyScopes.Allows([ApiKeyScopes.Ingest], ApiKeyScopes.Ingest));
        Assert.False(ApiKeyScopes.Allows([ApiKeyScopes.Ingest], ApiKeyScopes.Admin));
    }

    /// <summary>A hand-written store with the port's rules: unique names ignoring case, exact ids.</summary>
    private sealed class MemoryKeys : IApiKeyStore
    {
        private readonly List<StoredApiKey> _keys = [];

        public bool TryAdd(StoredApiKey key)
        {
            if (FindByName(key.Name) is not null || Find(key.Id) is not null) return false;
            _keys.Add(key);
            return true;
        }

        public StoredApiKey? Find(string id) => _keys.FirstOrDefault(key => key.Id == id);

        public StoredApiKey? FindByName(string name) => _keys.FirstOrDefault(key => string.Equals(key.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

        public IReadOnlyList<StoredApiKey> All() => _keys;

        public bool Revoke(string name, DateTimeOffset at)
        {
            var key = FindByName(name);
            if (key is null || key.RevokedAt is not null) return false;
            _keys[_keys.IndexOf(key)] = key with { RevokedAt = at };
            return true;
        }
    }
}
