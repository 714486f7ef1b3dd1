using GrowthBot.Core.Conversations;
using GrowthBot.Core.Installations;

namespace GrowthBot.Storage.Tests;

/// <summary>Installations survive a reopen; installing again replaces; keys match exactly; removing forgets.</summary>
public sealed class LiteInstallationStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ChatInstallation Installation(string key, string token = "CfDJ8-protected", bool enterprise = false) =>
        new(ChatPlatform.Slack, key, enterprise ? "E0ORG" : null, enterprise ? "Acme Org" : null, enterprise ? null : "T0ONE", enterprise ? null : "One",
            enterprise, "A0GROWTH", "U0BOT", "chat:write,commands", token, "U0INSTALLER", Now);

    [Fact]
    public void Installations_RoundTrip_AndSurviveAReopen()
    {
        using (var store = _temp.Open())
        {
            var installations = new LiteInstallationStore(store);
            installations.Save(Installation("T:T0ONE"));
            installations.Save(Installation("E:E0ORG", enterprise: true));
        }

        using var reopened = _temp.Open();
        var stored = new LiteInstallationStore(reopened);
        Assert.Equal(Installation("T:T0ONE"), stored.Find(ChatPlatform.Slack, "T:T0ONE"));
        Assert.Equal(Installation("E:E0ORG", enterprise: true), stored.Find(ChatPlatform.Slack, "E:E0ORG"));
        Assert.Equal(2, stored.All(ChatPlatform.Slack).Count);
        Assert.Empty(stored.All(ChatPlatform.Teams));
    }

    [Fact]
    public void InstallingAgain_ReplacesTheToken()
    {
        using var store = _temp.Open();
        var installations = new LiteInstallationStore(store);
        installations.Save(Installation("T:T0ONE", "old"));

        installations.Save(Installation("T:T0ONE", "new"));

        Assert.Equal("new", Assert.Single(installations.All(ChatPlatform.Slack)).ProtectedToken);
    }

    [Fact]
    public void Keys_MatchExactly_AndRemoveForgets()
    {
        using var store = _temp.Open();
        var installations = new LiteInstallationStore(store);
        installations.Save(Installation("T:T0ONE"));

        Assert.Null(installations.Find(ChatPlatform.Slack, "t:t0one"));
        Assert.False(installations.Remove(ChatPlatform.Slack, "t:t0one"));
        Assert.True(installations.Remove(ChatPlatform.Slack, "T:T0ONE"));
        Assert.Null(installations.Find(ChatPlatform.Slack, "T:T0ONE"));
        Assert.False(installations.Remove(ChatPlatform.Slack, "T:T0ONE"));
    }

    [Fact]
    public void RotatingTokens_KeepTheirRefreshTokenAndExpiry_AcrossAReopen()
    {
        var rotating = Installation("T:T0ONE") with { ProtectedRefreshToken = "CfDJ8-refresh", TokenExpiresAt = Now.AddHours(12) };
        using (var store = _temp.Open())
        {
            new LiteInstallationStore(store).Save(rotating);
        }

        using var reopened = _temp.Open();
        Assert.Equal(rotating, new LiteInstallationStore(reopened).Find(ChatPlatform.Slack, "T:T0ONE"));
    }

    [Fact]
    public void UsedNonces_AreRefusedAgainAfterAReopen_UntilTheyExpire()
    {
        var expires = Now.AddMinutes(10);
        using (var store = _temp.Open())
        {
            var nonces = new LiteInstallationStore(store);
            Assert.True(nonces.TryUse("n0nce-AbC", expires, Now));
            Assert.False(nonces.TryUse("n0nce-AbC", expires, Now.AddMinutes(1)));
        }

        using var reopened = _temp.Open();
        var stored = new LiteInstallationStore(reopened);
        Assert.False(stored.TryUse("n0nce-AbC", expires, Now.AddMinutes(9)));
        Assert.True(stored.TryUse("n0nce-abc", expires, Now.AddMinutes(9)));
        Assert.True(stored.TryUse("n0nce-AbC", Now.AddMinutes(20), expires));
        Assert.Equal(1, reopened.Database.GetCollection(LiteInstallationStore.NonceCollection).Count()); // the expired ones were dropped
    }
}
