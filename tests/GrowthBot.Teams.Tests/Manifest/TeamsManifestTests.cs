using System.Text.Json.Nodes;
using GrowthBot.Slack.Tests.Support;
using NJsonSchema;

namespace GrowthBot.Teams.Tests.Manifest;

/// <summary>
/// manifests/teams/manifest.json is a valid Teams app manifest by the JSON schema that npm
/// @microsoft/app-manifest bundles offline (build/json-schemas/teams/vX.Y), and declares the bot.
/// </summary>
public sealed class TeamsManifestTests
{
    private const string Placeholder = "00000000-0000-0000-0000-000000000000";

    internal static string ManifestFolder { get; } = Path.Combine(NodeTools.RepositoryRoot(), "manifests", "teams");

    internal static JsonObject ReadManifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(ManifestFolder, "manifest.json")))!.AsObject();

    /// <summary>The bundled schema of that manifest version, loaded from the local file (its references are all within the file).</summary>
    internal static async Task<JsonSchema> SchemaAsync(string version)
    {
        NodeTools.EnsureInstalled();
        var path = Path.Combine(NodeTools.E2eFolder, "node_modules", "@microsoft", "app-manifest", "build", "json-schemas", "teams", $"v{version}", "MicrosoftTeams.schema.json");
        Assert.True(File.Exists(path), $"@microsoft/app-manifest bundles no schema for manifest version {version} ({path})");
        return await JsonSchema.FromFileAsync(path);
    }

    internal static async Task<List<string>> ErrorsAsync(JsonObject manifest)
    {
        var schema = await SchemaAsync((string)manifest["manifestVersion"]!);
        return schema.Validate(manifest.ToJsonString()).Select(error => $"{error.Path}: {error.Kind}").ToList();
    }

    [Fact]
    public async Task Manifest_ValidatesAgainstTheBundledSchemaOfItsVersion()
    {
        var errors = await ErrorsAsync(ReadManifest());

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Manifest_SchemaUrlMatchesItsVersion()
    {
        var manifest = ReadManifest();

        var version = (string)manifest["manifestVersion"]!;
        Assert.Equal($"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json", (string?)manifest["$schema"]);
    }

    [Fact]
    public void Manifest_IsTheNewestStableVersionBundled()
    {
        NodeTools.EnsureInstalled();
        var bundled = Directory.GetDirectories(Path.Combine(NodeTools.E2eFolder, "node_modules", "@microsoft", "app-manifest", "build", "json-schemas", "teams"))
            .Select(Path.GetFileName)
            .Where(name => name!.StartsWith("v1.", StringComparison.Ordinal))
            .Select(name => Version.Parse(name![1..]))
            .Max();

        Assert.Equal(bundled!.ToString(), (string?)ReadManifest()["manifestVersion"]);
    }

    [Fact]
    public async Task Manifest_UsesNothingAnOlderSchemaLacks_SoItCanBeDowngradedByItsVersionAlone()
    {
        // docs/teams.md's advice for a Developer Portal that does not take the newest version yet:
        // v1.25 is the oldest with supportsChannelFeatures (shared and private channels).
        var manifest = ReadManifest();
        manifest["manifestVersion"] = "1.25";
        manifest["$schema"] = "https://developer.microsoft.com/json-schemas/teams/v1.25/MicrosoftTeams.schema.json";

        var errors = await ErrorsAsync(manifest);

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public async Task Manifest_ChannelFeaturesAreUnknownBeforeV125_SoThatIsTheOldestVersionItTakes()
    {
        var manifest = ReadManifest();
        manifest["manifestVersion"] = "1.24";
        manifest["$schema"] = "https://developer.microsoft.com/json-schemas/teams/v1.24/MicrosoftTeams.schema.json";

        Assert.Contains(await ErrorsAsync(manifest), error => error.Contains("supportsChannelFeatures", StringComparison.Ordinal));
    }

    [Fact]
    public void Manifest_DeclaresSharedAndPrivateChannels_AdminDocs_AndSingleSignOnInfo()
    {
        var manifest = ReadManifest();

        // tier1: every channel feature, shared and private channels included; supportedChannelTypes for clients that read only that.
        Assert.Equal("tier1", (string?)manifest["supportsChannelFeatures"]);
        Assert.Equal(["sharedChannels", "privateChannels"], manifest["supportedChannelTypes"]!.AsArray().Select(type => (string?)type));
        Assert.StartsWith("https://", (string?)manifest["publisherDocsUrl"], StringComparison.Ordinal);
        Assert.Equal(Placeholder, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Equal("api://botid-" + Placeholder, (string?)manifest["webApplicationInfo"]!["resource"]);
    }

    [Theory]
    [InlineData("supportsChannelFeatures", "\"tier9\"")]
    [InlineData("supportedChannelTypes", """["sharedChannels", "standardChannels"]""")]
    [InlineData("webApplicationInfo", """{"id": "not-a-guid", "resource": "api://botid-x"}""")]
    public async Task Manifest_WithAWrongChannelOrSsoField_FailsValidation(string field, string json)
    {
        var manifest = ReadManifest();
        manifest[field] = JsonNode.Parse(json);

        Assert.NotEmpty(await ErrorsAsync(manifest));
    }

    [Theory]
    [InlineData("scopes", """["personal", "everyone"]""")]
    [InlineData("botId", "\"not-a-guid\"")]
    [InlineData("supportsFile", "false")]
    public async Task Manifest_WithAWrongBotField_FailsValidation(string field, string json)
    {
        var manifest = ReadManifest();
        manifest["bots"]![0]![field] = JsonNode.Parse(json);

        Assert.NotEmpty(await ErrorsAsync(manifest));
    }

    [Fact]
    public async Task Manifest_WithATooLongShortDescription_FailsValidation()
    {
        var manifest = ReadManifest();
        manifest["description"]!["short"] = new string('x', 81);

        Assert.NotEmpty(await ErrorsAsync(manifest));
    }

    [Fact]
    public void Manifest_DeclaresAConversationalBotInEveryScope()
    {
        var manifest = ReadManifest();
        var bot = manifest["bots"]!.AsArray().Single()!;

        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(scope => (string?)scope));
        Assert.False((bool?)bot["supportsFiles"]);
        Assert.False((bool?)bot["isNotificationOnly"]);
        Assert.Equal("GrowthBot", (string?)manifest["name"]!["short"]);
        Assert.Equal("color.png", (string?)manifest["icons"]!["color"]);
        Assert.Equal("outline.png", (string?)manifest["icons"]!["outline"]);
    }

    [Fact]
    public void Manifest_OffersTheBotsCommandsInEachScope()
    {
        var lists = ReadManifest()["bots"]![0]!["commandLists"]!.AsArray();

        var personal = lists.Single(list => list!["scopes"]!.AsArray().Any(scope => (string?)scope == "personal"))!;
        var channel = lists.Single(list => list!["scopes"]!.AsArray().Any(scope => (string?)scope == "team"))!;
        Assert.Contains("groupChat", channel["scopes"]!.AsArray().Select(scope => (string?)scope));
        Assert.Subset(Titles(personal).ToHashSet(), new HashSet<string?> { "help", "subscriptions", "survey status" });
        Assert.Subset(Titles(channel).ToHashSet(), new HashSet<string?> { "help", "subscribe", "subscriptions", "digest" });

        static IEnumerable<string?> Titles(JsonNode list) => list["commands"]!.AsArray().Select(command => (string?)command!["title"]);
    }

    [Fact]
    public void Manifest_CommitsOnlyPlaceholdersForTheAppId()
    {
        var manifest = ReadManifest();

        Assert.Equal(Placeholder, (string?)manifest["id"]);
        Assert.Equal(Placeholder, (string?)manifest["bots"]![0]!["botId"]);
    }
}
