using System.Text.Json.Nodes;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Tests.Rendering;

/// <summary>
/// Every card the renderer makes is parsed and validated by the Adaptive Cards JavaScript library
/// (npm adaptivecards) through tests/e2e/validate-adaptive-cards.js; any error it reports fails.
/// </summary>
public sealed class AdaptiveCardsLibraryTests
{
    [Fact]
    public void RenderedCards_PassTheAdaptiveCardsLibrary()
    {
        var cards = new JsonObject();
        foreach (var (name, message) in SampleMessages.All())
        {
            cards[name] = AdaptiveCardRenderer.Render(message);
            cards[name + "InvokeResponse"] = AdaptiveCardRenderer.InvokeCardResponse(message)["value"]!.DeepClone();
        }

        var (code, output) = CardValidator.Validate(cards, "rendered");

        Assert.True(code == 0, output);
        Assert.Contains($"{cards.Count} card(s) checked, 0 problem(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_ReportsInvalidCards()
    {
        var cards = JsonNode.Parse("""
        {
          "imageWithoutUrl": { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Image", "altText": "chart" } ] },
          "badSize": { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "TextBlock", "text": "x", "size": "Huge" } ] },
          "misspelt": { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Input.Text", "id": "c", "isMultline": true } ] },
          "unknownElement": { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Chart" } ] },
          "badFallback": { "type": "AdaptiveCard", "version": "1.5", "actions": [ { "type": "Action.Execute", "title": "a", "fallback": { "type": "Action.Submit", "title": "a", "style": "loud" } } ] },
          "duplicateInputs": { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Input.Text", "id": "c" }, { "type": "Input.Text", "id": "c" } ] },
          "sixButtonsInARow": { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "ActionSet", "actions": [
            { "type": "Action.Submit", "title": "1" }, { "type": "Action.Submit", "title": "2" }, { "type": "Action.Submit", "title": "3" },
            { "type": "Action.Submit", "title": "4" }, { "type": "Action.Submit", "title": "5" }, { "type": "Action.Submit", "title": "6" } ] } ] }
        }
        """)!;

        var (code, output) = CardValidator.Validate(cards, "invalid");

        Assert.Equal(1, code);
        Assert.Contains("imageWithoutUrl.body[0]: Image must have \"url\"", output, StringComparison.Ordinal);
        Assert.Contains("badSize: InvalidPropertyValue", output, StringComparison.Ordinal);
        Assert.Contains("misspelt.body[0]: unknown property \"isMultline\"", output, StringComparison.Ordinal);
        Assert.Contains("unknownElement: UnknownElementType", output, StringComparison.Ordinal);
        Assert.Contains("badFallback.actions[0].fallback: InvalidPropertyValue", output, StringComparison.Ordinal);
        Assert.Contains("duplicateInputs: DuplicateId", output, StringComparison.Ordinal);
        Assert.Contains("sixButtonsInARow: TooManyActions", output, StringComparison.Ordinal);
    }
}
