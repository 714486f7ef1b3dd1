using System.Text.Json;
using NJsonSchema;

namespace GrowthBot.Slack.Tests.Manifest;

/// <summary>manifests/slack/manifest.json is a complete app manifest that Slack's own schema accepts and that matches the code.</summary>
public sealed class SlackManifestTests
{
    private static readonly string Root = FindRoot();
    private static readonly string ManifestPath = Path.Combine(Root, "manifests", "slack", "manifest.json");

    [Fact]
    public async Task Manifest_ValidatesAgainstSlacksManifestSchema()
    {
        var schemaPath = Path.Combine(Root, "tests", "fixtures", "slack-manifest.schema.json");
        var schema = await JsonSchema.FromFileAsync(schemaPath);

        var errors = schema.Validate(await File.ReadAllTextAsync(ManifestPath));

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
        Assert.Equal(["app_mention", "message.im"], settings.GetProperty("event_subscriptions").GetProperty("bot_events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(settings.GetProperty("socket_mode_enabled").GetBoolean());
    }

    [Fact]
    public void Manifest_AsksForTheScopesTheWebApiCallsNeed()
    {
        var scopes = JsonDocument.Parse(File.ReadAllText(ManifestPath)).RootElement
            .GetProperty("oauth_config").GetProperty("scopes").GetProperty("bot").EnumerateArray().Select(scope => scope.GetString()).ToHashSet();

        // chat.postMessage/postEphemeral/update, /growth, file uploads, DMs (events + conversations.open), users.info, mentions.
        Assert.Superset(new HashSet<string?> { "chat:write", "commands", "files:write", "im:history", "im:write", "users:read", "app_mentions:read" }, scopes);
    }

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GrowthBot.sln"))) folder = folder.Parent;
        return folder?.FullName ?? throw new InvalidOperationException("GrowthBot.sln not found above the test folder");
    }
}
