using GrowthBot.Core.Conversations;
using GrowthBot.Core.Installations;

namespace GrowthBot.Storage.Tests;

/// <summary>What only the LiteDB store does with nonces: expired ones leave the file (the shared behaviour is in tests/GrowthBot.Storage.Contract).</summary>
public sealed class LiteInstallationStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ChatInstallation Installation(string key, string token = "CfDJ8-protected", bool enterprise = false) =>
        new(ChatPlatform.Slack, key, enterprise ? "E0ORG" : null, enterprise ? "Acme Org" : null, enterprise ? null : "T0ONE", enterprise ? null : "One",
            enterprise, "A0GROWTH", "U0BOT", "chat:write,commands", token, "U0INSTALLER", Now);

    [Fact]
    public void UsedNonces_ExpiredOnes_AreDroppedFromTheFile()
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
