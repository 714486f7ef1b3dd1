using System.Text.Json;

namespace GrowthBot.Teams.Tests;

/// <summary>Recorded-style Teams activities under Fixtures/, copied to the output folder.</summary>
internal static class Fixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static JsonElement Json(string name) => JsonDocument.Parse(Text(name)).RootElement.Clone();
}
