using System.Text;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;
using GrowthBot.Slack.Tests.Support;

namespace GrowthBot.Slack.Tests.Rendering;

/// <summary>
/// Type-checks generated messages with the TypeScript compiler against Slack's own Block Kit
/// types (npm @slack/types). Each message is embedded as a literal with <c>satisfies</c>, because
/// importing JSON would widen its strings and hide wrong block or element types.
/// </summary>
public sealed class SlackTypesCheckTests
{
    [Fact]
    public void GeneratedMessages_TypeCheckAgainstSlackTypes()
    {
        NodeTools.EnsureInstalled();
        var source = new StringBuilder("import type { KnownBlock } from '@slack/types';\n\n");
        foreach (var (name, message) in Samples())
        {
            var rendered = BlockKitRenderer.Render(message);
            source.Append(System.Globalization.CultureInfo.InvariantCulture, $"export const {name} = {{ text: {System.Text.Json.JsonSerializer.Serialize(rendered.Text)}, blocks: {rendered.Blocks.ToJsonString()} }} satisfies {{ text: string; blocks: KnownBlock[] }};\n");
        }
        var folder = Path.Combine(NodeTools.E2eFolder, "out");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "slack-messages.ts");
        File.WriteAllText(file, source.ToString());

        var (code, output) = NodeTools.Run(Path.Combine(NodeTools.E2eFolder, "node_modules", ".bin", "tsc"),
            ["--noEmit", "--strict", "--target", "es2020", "--module", "commonjs", "--moduleResolution", "node", file], TimeSpan.FromMinutes(2));

        Assert.True(code == 0, output);
    }

    [Fact]
    public void TypeCheck_CatchesAWrongBlock()
    {
        NodeTools.EnsureInstalled();
        var folder = Path.Combine(NodeTools.E2eFolder, "out");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "slack-wrong.ts");
        File.WriteAllText(file, "import type { KnownBlock } from '@slack/types';\nexport const wrong = [{ type: 'section', text: { type: 'markdown_text', text: 'x' } }] satisfies KnownBlock[];\n");

        var (code, _) = NodeTools.Run(Path.Combine(NodeTools.E2eFolder, "node_modules", ".bin", "tsc"),
            ["--noEmit", "--strict", "--target", "es2020", "--module", "commonjs", "--moduleResolution", "node", file], TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, code);
    }

    private static IEnumerable<(string Name, ChatMessage Message)> Samples()
    {
        yield return ("answer", BlockKitRendererTests.Answer);
        yield return ("survey", new ChatMessage("How likely are you to recommend Acme?", [
            new TextBlock("How likely are you to recommend Acme to a friend or colleague?"),
            new ActionsBlock(Enumerable.Range(0, 11).Select(score => new ChatAction("survey.score", score.ToString(System.Globalization.CultureInfo.InvariantCulture), $"run1:{score}", score >= 9 ? ChatActionStyle.Primary : ChatActionStyle.Default)).ToList()),
            new ContextBlock("0 = not at all likely, 10 = extremely likely"),
        ]));
        yield return ("followUp", BlockKitRendererTests.FollowUp);
        yield return ("oversized", new ChatMessage(new string('x', 5000), Enumerable.Range(0, 70).Select(i => (ChatBlock)new FieldsBlock([new ChatField($"F{i}", new string('y', 3000))])).ToList()));
    }
}
