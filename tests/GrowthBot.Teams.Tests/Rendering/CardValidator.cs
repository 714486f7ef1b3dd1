using System.Text.Json.Nodes;
using GrowthBot.Slack.Tests.Support;

namespace GrowthBot.Teams.Tests.Rendering;

/// <summary>Runs tests/e2e/validate-adaptive-cards.js on named cards written to a file.</summary>
internal static class CardValidator
{
    public static (int ExitCode, string Output) Validate(JsonNode cards, string name)
    {
        NodeTools.EnsureInstalled();
        var folder = Path.Combine(NodeTools.E2eFolder, "out");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"teams-cards-{name}.json");
        File.WriteAllText(file, cards.ToJsonString());
        return NodeTools.Run("node", [Path.Combine(NodeTools.E2eFolder, "validate-adaptive-cards.js"), file], TimeSpan.FromMinutes(2));
    }
}
