using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Slack.Rendering;

namespace GrowthBot.Slack.Tests.Rendering;

public sealed class BlockKitRendererTests
{
    internal static readonly ChatMessage Answer = new(
        "Customer churn rate, this month so far: 3.1% (down 0.4 pts from last month)",
        [
            new HeaderBlock("Customer churn rate"),
            new TextBlock("3.1% this month so far (Nov 1–26), down 0.4 pts from October. <b>Good</b> & steady."),
            new FieldsBlock([new ChatField("Churned", "41"), new ChatField("Paying at start", "1,314")]),
            new ImageBlock([0x89, 0x50, 0x4E, 0x47], "Churn, last 12 months", "A line falling from 4% to 3%"),
            new ContextBlock("Customers paying at the start who churned ÷ customers paying at the start. n = 1,314"),
            new DividerBlock(),
            new ActionsBlock([
                new ChatAction("metric.explain", "Explain this number", "explain churn this month", ChatActionStyle.Primary),
                new ChatAction("metric.trend", "Show trend", "churn trend last 12 months"),
            ]),
        ]);

    [Fact]
    public void Render_AnAnswer_IsValidBlockKit()
    {
        var rendered = BlockKitRenderer.Render(Answer);

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        Assert.Equal(["header", "section", "section", "context", "divider", "actions"], rendered.Blocks.Select(block => (string?)block!["type"]));
        Assert.Equal(Answer.FallbackText, rendered.Text);
    }

    [Fact]
    public void Render_Text_IsEscapedForMrkdwn()
    {
        var section = BlockKitRenderer.Render(Answer).Blocks[1]!;
        Assert.Equal("3.1% this month so far (Nov 1–26), down 0.4 pts from October. &lt;b&gt;Good&lt;/b&gt; &amp; steady.", (string?)section["text"]!["text"]);
    }

    [Fact]
    public void Render_FallbackTextAndEveryShownField_AreEscaped()
    {
        const string comment = "<!channel> log in at <https://evil.example/login|the new Acme portal> & win";
        var message = new ChatMessage($"Digest: \"{comment}\"", [
            new HeaderBlock(comment),
            new FieldsBlock([new ChatField(comment, comment)]),
            new ContextBlock(comment),
            new ActionsBlock([new ChatAction("metric.explain", comment, "v")]),
        ]);

        var rendered = BlockKitRenderer.Render(message);

        Assert.Equal("Digest: \"&lt;!channel&gt; log in at &lt;https://evil.example/login|the new Acme portal&gt; &amp; win\"", rendered.Text);
        var json = rendered.Blocks.ToJsonString();
        Assert.DoesNotContain("<!channel>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://", json, StringComparison.Ordinal);
        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
    }

    [Fact]
    public void Cut_NeverSplitsASurrogatePairOrAnEscape()
    {
        var emoji = new string('a', 8) + "😀😀";           // the first emoji's two halves sit at 8 and 9
        var escaped = BlockKitRenderer.Escape(new string('a', 8) + "&b");   // "aaaaaaaa&amp;b"

        var cutEmoji = BlockKitRenderer.Cut(emoji, 10);
        var cutEscape = BlockKitRenderer.Cut(escaped, 11);

        Assert.Equal(new string('a', 8) + "…", cutEmoji);
        Assert.DoesNotContain(cutEmoji, char.IsSurrogate);
        Assert.Equal(new string('a', 8) + "…", cutEscape);
    }

    [Fact]
    public void Render_ButtonValueLongerThanSlackAllows_IsLeftOutWithANoteNotCut()
    {
        var longValue = new string('x', BlockKitLimits.ButtonValue + 1);
        var message = new ChatMessage("m", [new ActionsBlock([new ChatAction("metric.trend", "Show trend", longValue), new ChatAction("metric.explain", "Explain", "ok")])]);

        var rendered = BlockKitRenderer.Render(message);

        var actions = rendered.Blocks.Single(block => (string?)block!["type"] == "actions")!;
        var button = Assert.Single(actions["elements"]!.AsArray());
        Assert.Equal("ok", (string?)button!["value"]);
        Assert.DoesNotContain(rendered.Blocks, block => ((string?)block!["type"] == "actions") && block.ToJsonString().Contains("xxx", StringComparison.Ordinal));
        Assert.Contains("left out", rendered.Blocks.Single(block => (string?)block!["type"] == "context")!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Image_IsHandedBackForUpload()
    {
        var rendered = BlockKitRenderer.Render(Answer);
        var image = Assert.Single(rendered.Images);
        Assert.Equal("Churn, last 12 months", image.Title);
    }

    internal static readonly ChatMessage FollowUp = new("Thanks! What's the main reason for your score?", [
        new TextBlock("Thanks! You answered 9. What's the main reason for your score?"),
        new TextInputBlock("comment", "What's the main reason for your score?", "Optional: a sentence or two is plenty"),
        new ActionsBlock([new ChatAction("survey.comment", "Send", "r|i|-1|mac", ChatActionStyle.Primary), new ChatAction("survey.skip", "Skip", "r|i|-1|mac2")]),
    ]) { ReplacesOriginal = true };

    [Fact]
    public void Render_TextInput_IsAnInputBlockKeyedByItsId()
    {
        var rendered = BlockKitRenderer.Render(FollowUp);

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        var input = rendered.Blocks[1]!;
        Assert.Equal("input", (string?)input["type"]);
        Assert.Equal("comment", (string?)input["block_id"]);
        Assert.False((bool)input["dispatch_action"]!);
        Assert.True((bool)input["optional"]!);
        Assert.Equal("plain_text_input", (string?)input["element"]!["type"]);
        Assert.True((bool)input["element"]!["multiline"]!);
        Assert.Equal(500, (int)input["element"]!["max_length"]!);
    }

    [Fact]
    public void Render_Buttons_GetUniqueActionIdsThatMapBack()
    {
        var survey = new ChatMessage("How likely…", [new ActionsBlock(Enumerable.Range(0, 11).Select(score => new ChatAction("survey.score", score.ToString(System.Globalization.CultureInfo.InvariantCulture), $"run1:{score}")).ToList())]);

        var rendered = BlockKitRenderer.Render(survey);

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        var ids = rendered.Blocks[0]!["elements"]!.AsArray().Select(button => (string)button!["action_id"]!).ToList();
        Assert.All(ids, id => Assert.Equal("survey.score", BlockKitRenderer.OriginalActionId(id)));
    }

    [Fact]
    public void Render_OversizedParts_AreCutToSlacksLimits()
    {
        var huge = new string('x', 5_000);
        var message = new ChatMessage(huge, [
            new HeaderBlock(huge),
            new TextBlock(huge),
            new FieldsBlock(Enumerable.Range(0, 14).Select(i => new ChatField($"F{i}", huge)).ToList()),
            new ActionsBlock([new ChatAction(huge, huge, huge)]),
        ]);

        var rendered = BlockKitRenderer.Render(message);

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
    }

    [Fact]
    public void Render_TooManyBlocks_StopsAtTheLimitWithANote()
    {
        var message = new ChatMessage("many", Enumerable.Range(0, 80).Select(i => (ChatBlock)new TextBlock($"paragraph {i}")).ToList());

        var rendered = BlockKitRenderer.Render(message);

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        Assert.Equal(BlockKitLimits.BlocksPerMessage, rendered.Blocks.Count);
        Assert.Contains("left out", rendered.Blocks[^1]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyTexts_AreSkippedRatherThanRefusedBySlack()
    {
        var rendered = BlockKitRenderer.Render(new ChatMessage("fallback", [new HeaderBlock(" "), new TextBlock(""), new ContextBlock("small print")]));

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        Assert.Single(rendered.Blocks);
    }

    [Fact]
    public void Validator_CatchesWhatSlackRefuses()
    {
        var bad = JsonNode.Parse("""[{"type":"header","text":{"type":"mrkdwn","text":""}},{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"a"},"action_id":"x"},{"type":"button","text":{"type":"plain_text","text":"b"},"action_id":"x"}]}]""")!.AsArray();

        var problems = BlockKitValidator.Validate(bad, "");

        Assert.Contains("no fallback text", problems);
        Assert.Contains(problems, problem => problem.Contains("must be plain_text", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("duplicate action_id", StringComparison.Ordinal));
    }
}

/// <summary>The stale-data warning as Slack shows it: one context line under the answer, the first section of a digest.</summary>
public sealed class StaleDataRenderingTests
{
    [Fact]
    public void Render_AnswerOnStaleBilling_HasOneWarningContextLine()
    {
        var rendered = BlockKitRenderer.Render(Support.StaleDataAnswers.Answer());

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        var warnings = rendered.Blocks.Where(block => (string?)block!["type"] is "context" or "section" && TextOf(block).Contains("⚠️", StringComparison.Ordinal)).ToList();
        Assert.True(warnings.Count == 1, Support.StaleDataAnswers.Answer().FallbackText);
        var warning = warnings[0]!;
        Assert.Equal("context", (string?)warning["type"]);
        Assert.StartsWith(Support.StaleDataAnswers.Warning, TextOf(warning), StringComparison.Ordinal);
    }

    private static string TextOf(JsonNode block) => (string)block["type"]! == "context"
        ? string.Concat(block["elements"]!.AsArray().Select(element => element?["text"] is JsonValue value ? (string?)value : null))
        : block["text"] is JsonObject text ? (string?)text["text"] ?? string.Empty : string.Empty;

    [Fact]
    public void Render_DigestOnStaleBilling_PutsTheWarningFirstUnderTheHeader()
    {
        var rendered = BlockKitRenderer.Render(Support.StaleDataAnswers.Digest());

        Assert.Empty(BlockKitValidator.Validate(rendered.Blocks, rendered.Text));
        Assert.Equal("header", (string?)rendered.Blocks[0]!["type"]);
        Assert.StartsWith(Support.StaleDataAnswers.Warning, (string?)rendered.Blocks[1]!["text"]!["text"], StringComparison.Ordinal);
    }
}
