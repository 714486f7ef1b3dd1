using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Tests.Rendering;

public sealed class CardActionDataTests
{
    [Fact]
    public void TryRead_SubmitValueWithInputs_GivesTheButtonAndWhatWasTyped()
    {
        // What Teams sends as activity.value for the Action.Submit fallback (and as value.action.data for Action.Execute).
        using var data = JsonDocument.Parse("""{"actionId":"survey.comment","value":"run-7","survey.comment":"  Fast answers.  ","other":"","msteams":{"x":1}}""");

        Assert.True(CardActionData.TryRead(data.RootElement, out var actionId, out var value, out var inputs));

        Assert.Equal("survey.comment", actionId);
        Assert.Equal("run-7", value);
        Assert.Equal(new Dictionary<string, string> { ["survey.comment"] = "Fast answers." }, inputs);
    }

    [Fact]
    public void TryRead_RendererData_RoundTrips()
    {
        var rendered = AdaptiveCardRenderer.Render(new ChatMessage("x", [new ActionsBlock([new ChatAction("metric.trend", "Show trend", """{"m":["nps"]}""")])]));
        var data = rendered["body"]![0]!["actions"]![0]!["data"]!;
        using var document = JsonDocument.Parse(data.ToJsonString());

        Assert.True(CardActionData.TryRead(document.RootElement, out var actionId, out var value, out var inputs));

        Assert.Equal("metric.trend", actionId);
        Assert.Equal("""{"m":["nps"]}""", value);
        Assert.Empty(inputs);
    }

    [Theory]
    [InlineData("""{"value":"x"}""")]
    [InlineData("""{"actionId":""}""")]
    [InlineData("""{"actionId":7}""")]
    [InlineData("""["actionId"]""")]
    public void TryRead_SomethingElse_IsNotAnAction(string json)
    {
        using var data = JsonDocument.Parse(json);

        Assert.False(CardActionData.TryRead(data.RootElement, out _, out _, out _));
    }
}
