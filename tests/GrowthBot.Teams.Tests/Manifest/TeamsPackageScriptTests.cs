using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using GrowthBot.Slack.Tests.Support;

namespace GrowthBot.Teams.Tests.Manifest;

/// <summary>scripts/package-teams-app.sh builds the uploadable app package.</summary>
public sealed class TeamsPackageScriptTests : IDisposable
{
    private const string AppId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    private readonly string folder = Directory.CreateTempSubdirectory("growthbot-teams-package-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private (int ExitCode, string Output, string Zip) Package(IEnumerable<string> arguments, string? envAppId = null)
    {
        var zip = Path.Combine(folder, "app.zip");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add(Path.Combine(NodeTools.RepositoryRoot(), "scripts", "package-teams-app.sh"));
        foreach (var argument in arguments.Concat(["--out", zip])) start.ArgumentList.Add(argument);
        start.Environment.Remove("Teams__AppId");
        if (envAppId is not null) start.Environment["Teams__AppId"] = envAppId;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "the package script did not finish");
        return (process.ExitCode, stdout.Result + stderr.Result, zip);
    }

    private static JsonObject PackagedManifest(ZipArchive archive)
    {
        using var reader = new StreamReader(archive.GetEntry("manifest.json")!.Open());
        return JsonNode.Parse(reader.ReadToEnd())!.AsObject();
    }

    [Fact]
    public async Task Package_HoldsExactlyTheThreeFilesAtItsRootWithTheAppIdAndHostFilledIn()
    {
        var (code, output, zip) = Package(["--app-id", AppId, "--host", "growthbot.contoso.com"]);

        Assert.True(code == 0, output);
        Assert.Contains(zip, output, StringComparison.Ordinal);
        using var archive = ZipFile.OpenRead(zip);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], archive.Entries.Select(entry => entry.FullName).Order(StringComparer.Ordinal));
        var manifest = PackagedManifest(archive);
        Assert.Equal(AppId, (string?)manifest["id"]);
        Assert.Equal(AppId, (string?)manifest["bots"]![0]!["botId"]);
        Assert.Equal(["growthbot.contoso.com"], manifest["validDomains"]!.AsArray().Select(domain => (string?)domain));
        Assert.Equal(AppId, (string?)manifest["webApplicationInfo"]!["id"]);
        Assert.Equal("api://botid-" + AppId, (string?)manifest["webApplicationInfo"]!["resource"]);
        Assert.Empty(await TeamsManifestTests.ErrorsAsync(manifest));
        using var icon = new MemoryStream();
        await archive.GetEntry("color.png")!.Open().CopyToAsync(icon);
        Assert.Equal(File.ReadAllBytes(Path.Combine(TeamsManifestTests.ManifestFolder, "color.png")), icon.ToArray());
    }

    [Fact]
    public void Package_TakesTheAppIdFromTeams__AppIdAndTheVersionFromItsArgument()
    {
        var (code, output, zip) = Package(["--app-version", "1.2.3"], envAppId: AppId);

        Assert.True(code == 0, output);
        using var archive = ZipFile.OpenRead(zip);
        var manifest = PackagedManifest(archive);
        Assert.Equal(AppId, (string?)manifest["id"]);
        Assert.Equal("1.2.3", (string?)manifest["version"]);
        Assert.Empty(manifest["validDomains"]!.AsArray());
    }

    [Fact]
    public void Package_RefusesThePlaceholderAppIdUnlessAllowed()
    {
        var refused = Package(["--app-id", "00000000-0000-0000-0000-000000000000"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("placeholder", refused.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(refused.Zip));

        var allowed = Package(["--app-id", "00000000-0000-0000-0000-000000000000", "--allow-placeholder"]);
        Assert.True(allowed.ExitCode == 0, allowed.Output);
    }

    [Theory]
    [InlineData()]
    [InlineData("--app-id", "my-bot")]
    [InlineData("--app-id", AppId, "--host", "https://growthbot.contoso.com/api")]
    [InlineData("--app-id", AppId, "--app-version", "two")]
    public void Package_RefusesBadArguments(params string[] arguments)
    {
        var (code, output, zip) = Package(arguments);

        Assert.Equal(2, code);
        Assert.False(string.IsNullOrWhiteSpace(output));
        Assert.False(File.Exists(zip));
    }
}
