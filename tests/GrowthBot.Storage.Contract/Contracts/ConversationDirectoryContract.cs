using GrowthBot.Core.Conversations;
using GrowthBot.Storage.Contract.Support;

namespace GrowthBot.Storage.Contract.Contracts;

/// <summary>Where the bot is installed survives a restart, so digests and surveys still reach those conversations.</summary>
public abstract class ConversationDirectoryContract(IStoreProvider provider) : StoreContract(provider)
{
    private static readonly DateTimeOffset Seen = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    private static KnownConversation Channel(string id = "19:general@thread.tacv2") =>
        new(ChatPlatform.Teams, id, ConversationKind.Channel, "tenant-1", "19:team@thread.tacv2", "General", "aad-admin", "https://smba.trafficmanager.net/emea/", Seen);

    private static KnownConversation Personal(string id, string user, DateTimeOffset seen) =>
        new(ChatPlatform.Teams, id, ConversationKind.Personal, "tenant-1", null, null, user, "https://smba.trafficmanager.net/emea/", seen);

    [Fact]
    public void Remember_ThenReopen_StillThere()
    {
        using (var store = Open()) store.Conversations.Remember(Channel());

        using var reopened = Open();
        var found = reopened.Conversations.Find(ChatPlatform.Teams, "19:general@thread.tacv2");

        Assert.Equal(Channel(), found);
    }

    [Fact]
    public void Remember_SameConversationAgain_RefreshesInsteadOfDuplicating()
    {
        using var store = Open();
        var directory = store.Conversations;
        directory.Remember(Channel());
        directory.Remember(Channel() with { Name = "General (renamed)", Route = "https://smba.trafficmanager.net/amer/" });

        var only = Assert.Single(directory.All(ChatPlatform.Teams));
        Assert.Equal("General (renamed)", only.Name);
        Assert.Equal("https://smba.trafficmanager.net/amer/", only.Route);
    }

    [Fact]
    public void Forget_RemovesOnlyThatConversation()
    {
        using var store = Open();
        var directory = store.Conversations;
        directory.Remember(Channel("19:a@thread.tacv2"));
        directory.Remember(Channel("19:b@thread.tacv2"));

        directory.Forget(ChatPlatform.Teams, "19:a@thread.tacv2");
        directory.Forget(ChatPlatform.Teams, "19:never@thread.tacv2");

        Assert.Null(directory.Find(ChatPlatform.Teams, "19:a@thread.tacv2"));
        Assert.NotNull(directory.Find(ChatPlatform.Teams, "19:b@thread.tacv2"));
    }

    [Fact]
    public void FindPersonal_FindsTheUsersOneToOneChat_NotAChannelTheyAddedTheBotTo()
    {
        using var store = Open();
        var directory = store.Conversations;
        directory.Remember(Channel() with { UserId = "aad-ana" });
        directory.Remember(Personal("a:1old", "aad-ana", Seen));
        directory.Remember(Personal("a:1new", "aad-ana", Seen.AddDays(1)));
        directory.Remember(Personal("a:1bo", "aad-bo", Seen));

        Assert.Equal("a:1new", directory.FindPersonal(ChatPlatform.Teams, "aad-ana")?.ConversationId);
        Assert.Equal("a:1bo", directory.FindPersonal(ChatPlatform.Teams, "aad-bo")?.ConversationId);
        Assert.Null(directory.FindPersonal(ChatPlatform.Teams, "aad-nobody"));
        Assert.Null(directory.FindPersonal(ChatPlatform.Slack, "aad-ana"));
    }

    [Fact]
    public void All_KeepsPlatformsApart_AndIdsCaseSensitive()
    {
        using var store = Open();
        var directory = store.Conversations;
        directory.Remember(Channel("a:1AbC"));
        directory.Remember(Channel("a:1abc"));
        directory.Remember(new KnownConversation(ChatPlatform.Slack, "C0GROWTH", ConversationKind.Channel, "T0HOME", null, "growth", null, null, Seen));

        Assert.Equal(["a:1AbC", "a:1abc"], directory.All(ChatPlatform.Teams).Select(conversation => conversation.ConversationId));
        Assert.Equal("C0GROWTH", Assert.Single(directory.All(ChatPlatform.Slack)).ConversationId);
    }
}
