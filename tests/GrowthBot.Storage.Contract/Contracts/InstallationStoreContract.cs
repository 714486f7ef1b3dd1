using GrowthBot.Core.Conversations;
using GrowthBot.Core.Installations;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Installations survive a reopen; installing again replaces; keys match exactly; removing forgets; a nonce is used once until it expires.</summary>
public abstract class InstallationStoreContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static ChatInstallation Installation(string key, string token = "CfDJ8-protected", bool enterprise = false) =>
        new(ChatPlatform.Slack, key, enterprise ? "E0ORG" : null, enterprise ? "Acme Org" : null, enterprise ? null : "T0ONE", enterprise ? null : "One",
            enterprise, "A0GROWTH", "U0BOT", "chat:write,commands", token, "U0INSTALLER", Now);

    [Fact]
    public void Installations_RoundTrip_AndSurviveAReopen()
    {
        using (var store = Open())
        {
            store.Installations.Save(Installation("T:T0ONE"));
            store.Installations.Save(Installation("E:E0ORG", enterprise: true));
        }

        using var reopened = Open();
        var stored = reopened.Installations;
        Assert.Equal(Installation("T:T0ONE"), stored.Find(ChatPlatform.Slack, "T:T0ONE"));
        Assert.Equal(Installation("E:E0ORG", enterprise: true), stored.Find(ChatPlatform.Slack, "E:E0ORG"));
        Assert.Equal(2, stored.All(ChatPlatform.Slack).Count);
        Assert.Empty(stored.All(ChatPlatform.Teams));
    }

    [Fact]
    public void InstallingAgain_ReplacesTheToken()
    {
        using var store = Open();
        store.Installations.Save(Installation("T:T0ONE", "old"));

        store.Installations.Save(Installation("T:T0ONE", "new"));

        Assert.Equal("new", Assert.Single(store.Installations.All(ChatPlatform.Slack)).ProtectedToken);
    }

    [Fact]
    public void Keys_MatchExactly_AndRemoveForgets()
    {
        using var store = Open();
        var installations = store.Installations;
        installations.Save(Installation("T:T0ONE"));

        Assert.Null(installations.Find(ChatPlatform.Slack, "t:t0one"));
        Assert.Null(installations.Find(ChatPlatform.Teams, "T:T0ONE"));
        Assert.False(installations.Remove(ChatPlatform.Slack, "t:t0one"));
        Assert.True(installations.Remove(ChatPlatform.Slack, "T:T0ONE"));
        Assert.Null(installations.Find(ChatPlatform.Slack, "T:T0ONE"));
        Assert.False(installations.Remove(ChatPlatform.Slack, "T:T0ONE"));
    }

    [Fact]
    public void RotatingTokens_KeepTheirRefreshTokenAndExpiry_AcrossAReopen()
    {
        var rotating = Installation("T:T0ONE") with { ProtectedRefreshToken = "CfDJ8-refresh", TokenExpiresAt = Now.AddHours(12) };
        using (var store = Open())
        {
            store.Installations.Save(rotating);
        }

        using var reopened = Open();
        Assert.Equal(rotating, reopened.Installations.Find(ChatPlatform.Slack, "T:T0ONE"));
    }

    [Fact]
    public void UsedNonces_AreRefusedAgainAfterAReopen_UntilTheyExpire()
    {
        var expires = Now.AddMinutes(10);
        using (var store = Open())
        {
            Assert.True(store.Nonces.TryUse("n0nce-AbC", expires, Now));
            Assert.False(store.Nonces.TryUse("n0nce-AbC", expires, Now.AddMinutes(1)));
        }

        using var reopened = Open();
        var stored = reopened.Nonces;
        Assert.False(stored.TryUse("n0nce-AbC", expires, Now.AddMinutes(9)));
        Assert.True(stored.TryUse("n0nce-abc", expires, Now.AddMinutes(9)));
        Assert.True(stored.TryUse("n0nce-AbC", Now.AddMinutes(20), expires));
    }

    [Fact]
    public async Task UsedNonces_ConcurrentUsesOfOneLink_OneWins()
    {
        using var store = Open();

        var uses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.Nonces.TryUse("n0nce-race", Now.AddMinutes(10), Now))));

        Assert.Single(uses, won => won);
    }
}
