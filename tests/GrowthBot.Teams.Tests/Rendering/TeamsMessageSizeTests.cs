using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;
using GrowthBot.Teams.Rendering;

namespace GrowthBot.Teams.Tests.Rendering;

public sealed class TeamsMessageSizeTests
{
    private static bool Fits(ChatMessage message) => TeamsMessageSize.Fits(AdaptiveCardRenderer.Activity(message));

    private static List<JsonNode> Body(ChatMessage message) => AdaptiveCardRenderer.Render(message)["body"]!.AsArray().Select(node => node!).ToList();

    [Fact]
    public void Measure_CountsNonAsciiAsItsEscapedForm()
    {
        Assert.Equal("{\"t\":\"\\u2026\"}".Length, TeamsMessageSize.Measure(new JsonObject { ["t"] = "…" }));
    }

    [Fact]
    public void MeasureUtf16_CountsTwoBytesACharacterAndLeavesImageDataOut()
    {
        var text = new JsonObject { ["t"] = "ab…" };
        var image = new JsonObject { ["url"] = "data:image/png;base64," + Convert.ToBase64String(new byte[3000]) };

        Assert.Equal(2 * "{\"t\":\"ab…\"}".Length, TeamsMessageSize.MeasureUtf16WithoutImages(text));
        Assert.Equal(2 * "{\"url\":\"data:image/png;base64,\"}".Length, TeamsMessageSize.MeasureUtf16WithoutImages(image));
    }

    [Fact]
    public void Budgets_AreTheBotMessageLimitNotTheWebhookOne_WithRoomForTheEnvelope()
    {
        // "Format your bot messages": about 100 KB as UTF-16 without base64 images, 80 KB recommended.
        Assert.Equal(100 * 1024, TeamsMessageSize.MaxUtf16Bytes);
        Assert.Equal(80 * 1024, TeamsMessageSize.RecommendedUtf16Bytes);
        Assert.True(TeamsMessageSize.Utf16Budget < TeamsMessageSize.RecommendedUtf16Bytes);
        Assert.True(TeamsMessageSize.Utf16Budget > 28 * 1024);
    }

    [Fact]
    public void Shrinking_KeepsTextUnderTheUtf16Limit()
    {
        // 50,000 ASCII characters: under 80 KB as UTF-8, but 100 KB as UTF-16.
        var message = new ChatMessage("Long", [new TextBlock(new string('a', 25_000)), new TextBlock(new string('b', 25_000))]);

        var activity = AdaptiveCardRenderer.Activity(message);

        Assert.True(TeamsMessageSize.MeasureUtf16WithoutImages(activity) <= TeamsMessageSize.Utf16Budget);
        Assert.EndsWith("…", (string?)Body(message)[0]["text"], StringComparison.Ordinal);
    }

    [Fact]
    public void Activity_OfAHugeMessage_StaysUnderTheLimit()
    {
        Assert.True(Fits(SampleMessages.Oversized()));
        Assert.True(TeamsMessageSize.MeasureUtf16WithoutImages(AdaptiveCardRenderer.Activity(SampleMessages.Oversized())) <= TeamsMessageSize.Utf16Budget);
    }

    [Fact]
    public void Activity_OfAMessageThatFits_IsNotShrunk()
    {
        var digest = SampleMessages.Digest();

        var body = Body(digest);

        Assert.Equal(2, body.Count(element => (string?)element["type"] == "Image"));
        Assert.DoesNotContain(body, element => ((string?)element["text"])?.Contains('…', StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Activity_WithA30KbChart_KeepsIt()
    {
        // Over the 28 KB incoming-webhook limit, well within a bot message: base64 images do not count against its 100 KB.
        var message = new ChatMessage("Trend", [
            new HeaderBlock("NPS trend"),
            new ImageBlock(SampleMessages.Noise(30_000), "NPS, last 12 weeks", "NPS rising"),
            new TextBlock("NPS rose from 31 to 42."),
        ]);

        var body = Body(message);

        Assert.Equal("NPS rising", (string?)Assert.Single(body, element => (string?)element["type"] == "Image")["altText"]);
        Assert.DoesNotContain(body, element => ((string?)element["text"])?.Contains("left out", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Shrinking_DropsImagesFirstAndSaysSo()
    {
        // A chart over the 1 MB card image limit and a few short lines: leaving the image out is enough.
        var message = new ChatMessage("Trend", [
            new HeaderBlock("NPS trend"),
            new ImageBlock(SampleMessages.Noise(1_100_000), "NPS, last 12 weeks", "NPS rising"),
            new TextBlock("NPS rose from 31 to 42."),
        ]);

        var body = Body(message);

        Assert.DoesNotContain(body, element => (string?)element["type"] == "Image");
        Assert.Contains(body, element => ((string?)element["text"])?.Contains("NPS, last 12 weeks", StringComparison.Ordinal) == true
            && ((string?)element["text"])!.Contains("left out", StringComparison.Ordinal));
        Assert.Contains(body, element => (string?)element["text"] == "NPS rose from 31 to 42.");
    }

    [Fact]
    public void Shrinking_DropsTheLargestImageFirstAndKeepsOneThatFits()
    {
        var small = SampleMessages.Chart(120, 60, 0);
        var message = new ChatMessage("Two charts", [
            new ImageBlock(small, "Small chart", "small"),
            new ImageBlock(SampleMessages.Noise(1_100_000), "Big chart", "big"),
        ]);

        var images = Body(message).Where(element => (string?)element["type"] == "Image").ToList();

        var kept = Assert.Single(images);
        Assert.Equal("small", (string?)kept["altText"]);
    }

    [Fact]
    public void Shrinking_CutsLongTextsWithAnEllipsisBeforeLeavingPartsOut()
    {
        var message = new ChatMessage("Long", [
            new HeaderBlock("Long story"),
            new TextBlock(new string('a', 20_000)),
            new TextBlock(new string('b', 20_000)),
            new ActionsBlock([new ChatAction("metric.trend", "Show trend", "x")]),
        ]);

        var body = Body(message);

        Assert.Equal(4, body.Count);
        Assert.Equal("Long story", (string?)body[0]["text"]);
        Assert.EndsWith("…", (string?)body[1]["text"], StringComparison.Ordinal);
        Assert.EndsWith("…", (string?)body[2]["text"], StringComparison.Ordinal);
        Assert.Equal("ActionSet", (string?)body[3]["type"]);
        Assert.True(Fits(message));
        // The cut is as long as fits: a lot of each text is still there.
        Assert.True(((string?)body[1]["text"])!.Length > 5_000);
        Assert.True(((string?)body[2]["text"])!.Length > 5_000);
    }

    [Fact]
    public void Shrinking_LeavesTrailingPartsOutWithANoteWhenCuttingIsNotEnough()
    {
        var body = Body(SampleMessages.Oversized());

        Assert.StartsWith("Everything at once", (string?)body[0]["text"], StringComparison.Ordinal);
        Assert.Equal(AdaptiveCardRenderer.LeftOutNote, ((string?)body[^2]["text"])?.Trim('_'));
        Assert.Single(body, element => ((string?)element["text"])?.Contains(AdaptiveCardRenderer.LeftOutNote, StringComparison.Ordinal) == true);
        // The buttons at the end are what the message is for: they stay.
        Assert.Equal("ActionSet", (string?)body[^1]["type"]);
    }

    [Fact]
    public void Shrinking_AMessageOfThousandsOfButtons_StillFits()
    {
        var message = new ChatMessage("Pick one", [new TextBlock("Pick one"), new ActionsBlock(Enumerable.Range(0, 2_000).Select(i => new ChatAction("pick", $"Option {i}", $"{i}")).ToList())]);

        Assert.True(Fits(message));
    }

    [Fact]
    public void Shrinking_IsDeterministic()
    {
        Assert.Equal(AdaptiveCardRenderer.Activity(SampleMessages.Oversized()).ToJsonString(), AdaptiveCardRenderer.Activity(SampleMessages.Oversized()).ToJsonString());
    }

    [Fact]
    public void Summary_IsCutToNotificationLength()
    {
        var summary = (string?)AdaptiveCardRenderer.Activity(SampleMessages.Oversized())["summary"];

        Assert.Equal(TeamsMessageSize.MaxSummaryChars, summary!.Length);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Activity_OfAHugePlainParagraph_IsCutToFit()
    {
        var activity = AdaptiveCardRenderer.Activity(ChatMessage.Plain(string.Concat(Enumerable.Repeat("Ünïcödé ", 10_000))));

        Assert.True(TeamsMessageSize.Fits(activity));
        Assert.EndsWith("…", (string?)activity["text"], StringComparison.Ordinal);
    }
}
