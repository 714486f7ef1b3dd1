using System.Text.Json;
using NJsonSchema;

namespace GrowthBot.Slack.Tests.Manifest;

/// <summary>manifests/slack/manifest.json is a complete app manifest that Slack's own schema accepts and that matches the code.</summary>
public sealed class SlackManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly string ManifestPath = Path.Combine(Root, "manifests", "slack", "manifest.json");
    private static readonly string SocketModeManifestPath = Path.Combine(Root, "manifests", "slack", "manifest.socket-mode.json");

    /// <summary>The events the adapter handles: messages to answer, and the lifecycle events it acts on.</summary>
    private static readonly string[] Events =
    [
        "app_mention", "message.im", "app_home_opened", "member_joined_channel", "channel_archived", "channel_deleted", "channel_shared",
        "group_archived", "group_deleted", "app_uninstalled", "tokens_revoked",
    ];

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("manifest.socket-mode.json")]
    public async Task Manifest_ValidatesAgainstSlacksManifestSchema(string file)
    {
        var schemaPath = Path.Combine(Root, "tests", "fixtures", "slack-manifest.schema.json");
        var schema = await JsonSchema.FromFileAsync(schemaPath);

        var errors = schema.Validate(await File.ReadAllTextAsync(Path.Combine(Root, "manifests", "slack", file)));

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(error => $"{error.Path}: {error.Kind}")));
    }

    [Fact]
    public void Manifest_DeclaresWhatTheCodeServes()
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(ManifestPath)).RootElement;

        var command = manifest.GetProperty("features").GetProperty("slash_commands")[0];
        Assert.Equal(new SlackOptions().CommandName, command.GetProperty("command").GetString());
        Assert.EndsWith("/slack/commands", command.GetProperty("url").GetString(), StringComparison.Ordinal);
        var settings = manifest.GetProperty("settings");
        Assert.EndsWith("/slack/events", settings.GetProperty("event_subscriptions").GetProperty("request_url").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/slack/interactivity", settings.GetProperty("interactivity").GetProperty("request_url").GetString(), StringComparison.Ordinal);
        Assert.Equal(Events, settings.GetProperty("event_subscriptions").GetProperty("bot_events").EnumerateArray().Select(e => e.GetString()));
        Assert.Subset(Events.ToHashSet(), GrowthBot.Slack.Inbound.SlackEventMapper.LifecycleTypes);
        Assert.False(settings.GetProperty("socket_mode_enabled").GetBoolean());
        Assert.True(manifest.GetProperty("features").GetProperty("app_home").GetProperty("home_tab_enabled").GetBoolean());
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("manifest.socket-mode.json")]
    public void Manifest_DeclaresTheInstallFlow_RedirectUrlScopesAndOrgWideInstalls(string file)
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "manifests", "slack", file))).RootElement;

        var oauth = manifest.GetProperty("oauth_config");
        Assert.EndsWith("/slack/oauth_redirect", Assert.Single(oauth.GetProperty("redirect_urls").EnumerateArray()).GetString(), StringComparison.Ordinal);
        // An install asks for exactly the scopes the manifest declares.
        Assert.Equal(SlackOptions.DefaultScopes, string.Join(",", oauth.GetProperty("scopes").GetProperty("bot").EnumerateArray().Select(scope => scope.GetString())));
        Assert.True(manifest.GetProperty("settings").GetProperty("org_deploy_enabled").GetBoolean());
    }

    [Fact]
    public void SocketModeManifest_IsTheSameAppWithSocketModeAndNoUrls()
    {
        var http = JsonDocument.Parse(File.ReadAllText(ManifestPath)).RootElement;
        var socket = JsonDocument.Parse(File.ReadAllText(SocketModeManifestPath)).RootElement;

        var settings = socket.GetProperty("settings");
        Assert.True(settings.GetProperty("socket_mode_enabled").GetBoolean());
        Assert.False(settings.GetProperty("event_subscriptions").TryGetProperty("request_url", out _));
        Assert.False(settings.GetProperty("interactivity").TryGetProperty("request_url", out _));
        Assert.False(socket.GetProperty("features").GetProperty("slash_commands")[0].TryGetProperty("url", out _));
        Assert.Equal(http.GetProperty("oauth_config").ToString(), socket.GetProperty("oauth_config").ToString());
        Assert.Equal(http.GetProperty("settings").GetProperty("event_subscriptions").GetProperty("bot_events").ToString(), settings.GetProperty("event_subscriptions").GetProperty("bot_events").ToString());
    }

    [Fact]
    public void Manifest_AsksForTheScopesTheWebApiCallsNeed()
    {
        var scopes = JsonDocument.Parse(File.ReadAllText(ManifestPath)).RootElement
            .GetProperty("oauth_config").GetProperty("scopes").GetProperty("bot").EnumerateArray().Select(scope => scope.GetString()).ToHashSet();

        // chat.postMessage/postEphemeral/update, /growth, file uploads, DMs (events + conversations.open), users.info, mentions;
        // conversations.info/members for the audience check and channel events; *:history to find a post whose answer was lost.
        Assert.Superset(new HashSet<string?>
        {
            "chat:write", "commands", "files:write", "im:history", "im:write", "users:read", "app_mentions:read",
            "channels:read", "groups:read", "mpim:read", "channels:history", "groups:history", "mpim:history",
        }, scopes);
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("GrowthBot.sln not found above the test folder");
    }
}
