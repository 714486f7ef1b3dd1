using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Tests.Rendering;

public sealed class AdaptiveCardRendererTests
{
    private static JsonArray Body(ChatMessage message) => AdaptiveCardRenderer.Render(message)["body"]!.AsArray();

    private static JsonObject Only(ChatBlock block) => Assert.Single(Body(new ChatMessage("x", [block])))!.AsObject();

    [Fact]
    public void Render_IsAnAdaptiveCard15()
    {
        var card = AdaptiveCardRenderer.Render(SampleMessages.MetricAnswer);

        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)card["$schema"]);
        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        Assert.Equal(SampleMessages.MetricAnswer.FallbackText, (string?)card["fallbackText"]);
    }

    [Fact]
    public void Render_Header_IsALargeBoldWrappedHeading()
    {
        var block = Only(new HeaderBlock("Customer churn rate"));

        Assert.Equal("TextBlock", (string?)block["type"]);
        Assert.Equal("Customer churn rate", (string?)block["text"]);
        Assert.Equal("heading", (string?)block["style"]);
        Assert.Equal("Large", (string?)block["size"]);
        Assert.Equal("Bolder", (string?)block["weight"]);
        Assert.True((bool?)block["wrap"]);
    }

    [Fact]
    public void Render_Text_IsAWrappedTextBlockWithMarkdownEscaped()
    {
        var block = Only(new TextBlock("Up *a lot* in [Q3] for new_customers"));

        Assert.Equal("TextBlock", (string?)block["type"]);
        Assert.True((bool?)block["wrap"]);
        Assert.Equal("Up \\*a lot\\* in \\[Q3\\] for new\\_customers", (string?)block["text"]);
        Assert.Null(block["size"]);
    }

    [Fact]
    public void Render_CustomerCommentInADigest_ShowsItsMarkupAsTypedInEveryPlace()
    {
        const string comment = "<!channel> log in at <https://evil.example/login|click here> or [the portal](https://evil.example/login) **now** &#91;x&#93;(https://evil.example)\r- fake item";
        var message = new ChatMessage($"Digest: {comment}", [
            new HeaderBlock(comment),
            new TextBlock($"What customers said this week:\n• “{comment}” — NPS 2, Mon 3 Nov"),
            new FieldsBlock([new ChatField("Customer " + comment, comment)]),
            new ContextBlock(comment),
        ]);

        var shown = Strings(AdaptiveCardRenderer.Render(message)).ToList();

        Assert.Contains(shown, text => text.Contains("evil.example", StringComparison.Ordinal));
        foreach (var unescaped in new[] { @"(?<!\\)<https://", @"(?<!\\)<!channel", @"(?<!\\)\]\(https://", @"(?<!\\)\*\*now", @"(?<!\\)&#91;", @"\r-" })
        {
            Assert.DoesNotContain(shown, text => System.Text.RegularExpressions.Regex.IsMatch(text, unescaped));
        }
    }

    /// <summary>Every string a card shows as markdown: TextBlock texts and Fact titles and values.</summary>
    private static IEnumerable<string> Strings(System.Text.Json.Nodes.JsonNode? node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject json:
                foreach (var (name, value) in json)
                {
                    if (name is "text" or "title" or "value" && value is System.Text.Json.Nodes.JsonValue leaf && leaf.TryGetValue<string>(out var text)) yield return text;
                    else foreach (var inner in Strings(value)) yield return inner;
                }
                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var item in array) foreach (var inner in Strings(item)) yield return inner;
                break;
        }
    }

    [Fact]
    public void Render_TextOfSeveralLines_IsOneTextBlockPerLineAndAnEmptyLineStartsAParagraph()
    {
        var body = Body(new ChatMessage("x", [new TextBlock("▃█▄\r\n- Jun: 2.9%\nJul: 5.4%\n\nUp 1.4 pts.")]));

        Assert.Equal(["▃█▄", "\\- Jun: 2.9%", "Jul: 5.4%", "Up 1.4 pts."], body.Select(block => (string?)block!["text"]));
        Assert.Equal([null, "None", "None", null], body.Select(block => (string?)block!["spacing"]));
        Assert.All(body, block => Assert.True((bool?)block!["wrap"]));
    }

    [Fact]
    public void Render_Fields_AreAFactSet()
    {
        var block = Only(new FieldsBlock([new ChatField("Churned", "41"), new ChatField("Target_rate", "3%")]));

        Assert.Equal("FactSet", (string?)block["type"]);
        var facts = block["facts"]!.AsArray();
        Assert.Equal(2, facts.Count);
        Assert.Equal("Churned", (string?)facts[0]!["title"]);
        Assert.Equal("41", (string?)facts[0]!["value"]);
        Assert.Equal("Target\\_rate", (string?)facts[1]!["title"]);
    }

    [Fact]
    public void Render_Context_IsSmallSubtleText()
    {
        var block = Only(new ContextBlock("n = 1,314"));

        Assert.Equal("TextBlock", (string?)block["type"]);
        Assert.Equal("n = 1,314", (string?)block["text"]);
        Assert.Equal("Small", (string?)block["size"]);
        Assert.True((bool?)block["isSubtle"]);
        Assert.True((bool?)block["wrap"]);
    }

    [Fact]
    public void Render_Image_IsADataUriImageWithItsTitleAndAltText()
    {
        var png = SampleMessages.Chart(40, 20, 0);
        var body = Body(new ChatMessage("x", [new ImageBlock(png, "NPS trend", "NPS rising from 31 to 42")]));

        Assert.Equal(2, body.Count);
        Assert.Equal("NPS trend", (string?)body[0]!["text"]);
        var image = body[1]!;
        Assert.Equal("Image", (string?)image["type"]);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(png), (string?)image["url"]);
        Assert.Equal("NPS rising from 31 to 42", (string?)image["altText"]);
        Assert.True((bool?)image["msteams"]!["allowExpand"]);
    }

    [Fact]
    public void Render_Actions_AreExecuteButtonsWithASubmitFallback()
    {
        var block = Only(new ActionsBlock([
            new ChatAction("survey.score", "10", "run-7:10", ChatActionStyle.Primary),
            new ChatAction("survey.score", "0", "run-7:0", ChatActionStyle.Danger),
            new ChatAction("metric.trend", "Show trend", "{}"),
        ]));

        Assert.Equal("ActionSet", (string?)block["type"]);
        var buttons = block["actions"]!.AsArray();
        var first = buttons[0]!;
        Assert.Equal("Action.Execute", (string?)first["type"]);
        Assert.Equal("10", (string?)first["title"]);
        Assert.Equal("survey.score", (string?)first["verb"]);
        Assert.Equal("""{"actionId":"survey.score","value":"run-7:10"}""", first["data"]!.ToJsonString());
        Assert.Equal("positive", (string?)first["style"]);
        var fallback = first["fallback"]!;
        Assert.Equal("Action.Submit", (string?)fallback["type"]);
        Assert.Equal("10", (string?)fallback["title"]);
        Assert.Equal(first["data"]!.ToJsonString(), fallback["data"]!.ToJsonString());
        Assert.Equal("positive", (string?)fallback["style"]);
        Assert.Equal("destructive", (string?)buttons[1]!["style"]);
        Assert.Null(buttons[2]!["style"]);
    }

    [Theory]
    [InlineData(SurveyKind.Nps, new[] { 4, 4, 3 })]
    [InlineData(SurveyKind.Ces, new[] { 4, 3 })]
    [InlineData(SurveyKind.Csat, new[] { 5 })]
    public void Render_ScoreButtons_AreBalancedRowsOfAtMostFive(SurveyKind kind, int[] rows)
    {
        var sets = Body(SampleMessages.Survey(kind)).Where(element => (string?)element!["type"] == "ActionSet").ToList();

        Assert.Equal(rows, sets.Select(set => set!["actions"]!.AsArray().Count));
        var titles = sets.SelectMany(set => set!["actions"]!.AsArray()).Select(button => (string?)button!["title"]).ToList();
        var (min, max) = SurveyScales.Of(kind);
        Assert.Equal(Enumerable.Range(min, max - min + 1).Select(score => score.ToString(System.Globalization.CultureInfo.InvariantCulture)), titles);
    }

    [Fact]
    public void Render_TextInput_IsAnInputTextWhoseIdComesBackWithTheButtons()
    {
        var block = Only(new TextInputBlock("survey.comment", "Main reason", "Tell us", Multiline: true, MaxLength: 300));

        Assert.Equal("Input.Text", (string?)block["type"]);
        Assert.Equal("survey.comment", (string?)block["id"]);
        Assert.Equal("Main reason", (string?)block["label"]);
        Assert.Equal("Tell us", (string?)block["placeholder"]);
        Assert.True((bool?)block["isMultiline"]);
        Assert.Equal(300, (int?)block["maxLength"]);
    }

    [Fact]
    public void Render_TextInputNamedLikeButtonData_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => AdaptiveCardRenderer.Render(new ChatMessage("x", [new TextInputBlock("value", "Value", "")])));
    }

    [Fact]
    public void Render_Divider_SeparatesTheNextElement()
    {
        var body = Body(new ChatMessage("x", [new DividerBlock(), new TextBlock("one"), new DividerBlock(), new TextBlock("two"), new DividerBlock()]));

        Assert.Equal(2, body.Count);
        Assert.Null(body[0]!["separator"]);
        Assert.True((bool?)body[1]!["separator"]);
        Assert.Equal("Medium", (string?)body[1]!["spacing"]);
    }

    [Fact]
    public void Render_EmptyParts_AreLeftOutAndAnEmptyMessageShowsItsFallback()
    {
        var body = Body(new ChatMessage("Nothing to report.", [new TextBlock(" "), new FieldsBlock([]), new ActionsBlock([])]));

        Assert.Equal("Nothing to report.", (string?)Assert.Single(body)!["text"]);
    }

    [Fact]
    public void Render_RichMessages_AreFullWidthAndShortRepliesAreNot()
    {
        Assert.Equal("Full", (string?)AdaptiveCardRenderer.Render(SampleMessages.MetricAnswer)["msteams"]?["width"]);
        Assert.Equal("Full", (string?)AdaptiveCardRenderer.Render(SampleMessages.Survey(SurveyKind.Nps))["msteams"]?["width"]);
        Assert.Null(AdaptiveCardRenderer.Render(SampleMessages.ThankYou)["msteams"]);
    }

    [Fact]
    public void Attachment_WrapsTheCard()
    {
        var card = AdaptiveCardRenderer.Render(SampleMessages.MetricAnswer);

        var attachment = AdaptiveCardRenderer.Attachment(card);

        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.Same(card, attachment["content"]);
    }

    [Fact]
    public void Activity_OfARichMessage_CarriesTheCardWithTheFallbackAsSummary()
    {
        var activity = AdaptiveCardRenderer.Activity(SampleMessages.MetricAnswer);

        Assert.Equal("message", (string?)activity["type"]);
        Assert.Equal(SampleMessages.MetricAnswer.FallbackText, (string?)activity["summary"]);
        Assert.Null(activity["text"]);
        var attachment = Assert.Single(activity["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.Equal(AdaptiveCardRenderer.Render(SampleMessages.MetricAnswer).ToJsonString(), attachment["content"]!.ToJsonString());
    }

    [Fact]
    public void Activity_OfAPlainParagraph_IsPlainText()
    {
        var activity = AdaptiveCardRenderer.Activity(ChatMessage.Plain("Subscribed #marketing to the *weekly* digest."));

        Assert.Equal("message", (string?)activity["type"]);
        Assert.Equal("plain", (string?)activity["textFormat"]);
        Assert.Equal("Subscribed #marketing to the *weekly* digest.", (string?)activity["text"]);
        Assert.Null(activity["attachments"]);
    }

    [Fact]
    public void InvokeCardResponse_ReplacesThePressedCard()
    {
        var response = AdaptiveCardRenderer.InvokeCardResponse(SampleMessages.ThankYou);

        Assert.Equal(200, (int?)response["statusCode"]);
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)response["type"]);
        Assert.Equal("AdaptiveCard", (string?)response["value"]!["type"]);
    }

    [Fact]
    public void InvokeMessageResponse_IsAShortMessage()
    {
        var response = AdaptiveCardRenderer.InvokeMessageResponse("Already answered.");

        Assert.Equal(200, (int?)response["statusCode"]);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response["type"]);
        Assert.Equal("Already answered.", (string?)response["value"]);
    }
}

/// <summary>The stale-data warning as Teams shows it: one subtle line under the answer, the first text of a digest card.</summary>
public sealed class StaleDataCardTests
{
    private static List<string> Texts(ChatMessage message) =>
        AdaptiveCardRenderer.Render(message)["body"]!.AsArray().Where(item => (string?)item!["type"] == "TextBlock").Select(item => (string)item!["text"]!).ToList();

    [Fact]
    public void Render_AnswerOnStaleBilling_HasOneSmallWarningLine()
    {
        var card = AdaptiveCardRenderer.Render(Slack.Tests.Support.StaleDataAnswers.Answer());

        var warning = Assert.Single(card["body"]!.AsArray(), item => ((string?)item!["text"] ?? string.Empty).Contains("⚠️", StringComparison.Ordinal))!;
        Assert.StartsWith(Slack.Tests.Support.StaleDataAnswers.Warning, (string?)warning["text"], StringComparison.Ordinal);
        Assert.Equal("Small", (string?)warning["size"]);
    }

    [Fact]
    public void Render_DigestOnStaleBilling_PutsTheWarningRightAfterTheHeading()
    {
        var texts = Texts(Slack.Tests.Support.StaleDataAnswers.Digest());

        Assert.StartsWith(Slack.Tests.Support.StaleDataAnswers.Warning, texts[1], StringComparison.Ordinal);
    }
}
