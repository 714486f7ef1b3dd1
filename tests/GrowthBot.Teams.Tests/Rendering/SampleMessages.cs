using System.Globalization;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Teams.Tests.Manifest;

namespace GrowthBot.Teams.Tests.Rendering;

/// <summary>The kinds of message GrowthBot sends, as the renderer tests and the Adaptive Cards library check them.</summary>
internal static class SampleMessages
{
    public static readonly ChatMessage MetricAnswer = new(
        "Customer churn rate, this month so far: 3.1% (down 0.4 pts from last month)",
        [
            new HeaderBlock("Customer churn rate"),
            new TextBlock("3.1% this month so far (Nov 1–26), down 0.4 pts from October. *Real* change, not noise: [p < 0.05]."),
            new FieldsBlock([new ChatField("Churned", "41"), new ChatField("Paying at start", "1,314"), new ChatField("Target", "≤ 3.0% — missed")]),
            new ContextBlock("Customers paying at the start who churned ÷ customers paying at the start. n = 1,314"),
            new DividerBlock(),
            new ActionsBlock([
                new ChatAction("metric.explain", "Explain this number", """{"m":["customer_churn"],"x":true}""", ChatActionStyle.Primary),
                new ChatAction("metric.trend", "Show trend", """{"m":["customer_churn"],"s":"month"}"""),
            ]),
        ]);

    public static ChatMessage Digest() => new(
        "Weekly digest for Service: NPS 42 (+3), CSAT 87% (−1 pt), first-contact resolution 71%",
        [
            new HeaderBlock("Service — weekly digest, Nov 17–23"),
            new TextBlock("Three metrics you own. NPS rose for the third week in a row; CSAT dipped within noise."),
            new FieldsBlock([new ChatField("NPS", "42 (+3)"), new ChatField("CSAT", "87% (−1 pt, noise)"), new ChatField("First-contact resolution", "71% (on target)")]),
            new ImageBlock(Chart(240, 120, 0), "NPS, last 12 weeks", "NPS rising from 31 to 42 over twelve weeks"),
            new DividerBlock(),
            new HeaderBlock("What customers said"),
            new TextBlock("“Support fixed it in one call.” — promoter, Nov 20\n“Waited two days for an answer.” — detractor, Nov 21"),
            new ImageBlock(Chart(240, 120, 1), "CSAT, last 12 weeks", "CSAT flat around 87%"),
            new ContextBlock("Change is real when outside the 95% interval of the last 12 weeks. Survey responses: 214."),
        ]);

    public static ChatMessage Survey(SurveyKind kind)
    {
        var (min, max) = SurveyScales.Of(kind);
        var question = kind switch
        {
            SurveyKind.Nps => "How likely are you to recommend Acme to a friend or colleague?",
            SurveyKind.Ces => "How easy was it to get your issue resolved?",
            _ => "How satisfied are you with the support you received?",
        };
        var scores = Enumerable.Range(min, max - min + 1)
            .Select(score => new ChatAction("survey.score", score.ToString(CultureInfo.InvariantCulture), $"run-7:{score}",
                score == max ? ChatActionStyle.Primary : score == min ? ChatActionStyle.Danger : ChatActionStyle.Default))
            .ToList();
        return new ChatMessage(question, [
            new TextBlock(question),
            new ActionsBlock(scores),
            new ContextBlock($"{min} = not at all, {max} = extremely. One tap answers; you can add a comment after."),
        ]);
    }

    public static readonly ChatMessage FollowUp = new(
        "Thanks! What is the main reason for your score?",
        [
            new TextBlock("Thanks for the 9! What is the main reason for your score?"),
            new TextInputBlock("survey.comment", "Main reason (optional)", "Tell us in a sentence or two"),
            new ActionsBlock([
                new ChatAction("survey.comment", "Send", "run-7", ChatActionStyle.Primary),
                new ChatAction("survey.skip", "Skip", "run-7"),
            ]),
        ]) { ReplacesOriginal = true };

    public static readonly ChatMessage ThankYou = new(
        "Thank you — your answer was recorded.",
        [new TextBlock("Thank you — your answer was recorded. It helps the team more than you think.")]) { ReplacesOriginal = true };

    public static IEnumerable<(string Name, ChatMessage Message)> All()
    {
        yield return ("metricAnswer", MetricAnswer);
        yield return ("digest", Digest());
        yield return ("surveyNps", Survey(SurveyKind.Nps));
        yield return ("surveyCes", Survey(SurveyKind.Ces));
        yield return ("surveyCsat", Survey(SurveyKind.Csat));
        yield return ("followUp", FollowUp);
        yield return ("thankYou", ThankYou);
        yield return ("oversized", Oversized());
    }

    /// <summary>Far beyond a bot message's limits: a chart over the 1 MB image limit, three hundred long paragraphs and fact sets, and buttons.</summary>
    public static ChatMessage Oversized() => new(
        new string('f', 40_000),
        [
            new HeaderBlock("Everything at once " + new string('h', 500)),
            new ImageBlock(Noise(1_100_000), "Too big to ride along", "Noise"),
            .. Enumerable.Range(0, 300).SelectMany(i => new ChatBlock[]
            {
                new TextBlock($"Paragraph {i}: " + string.Concat(Enumerable.Repeat("growth *matters* ", 100))),
                new FieldsBlock([new ChatField($"Field {i}", new string('v', 800))]),
            }),
            new ActionsBlock([new ChatAction("metric.trend", "Show trend", "x")]),
        ]);

    /// <summary>A chart-like PNG: a line over a light grid.</summary>
    public static byte[] Chart(int width, int height, int seed) => PngFile.Write(width, height, (x, y) =>
    {
        var line = height / 2 - (int)((x - width / 2) * (seed == 0 ? 0.3 : 0.02));
        if (Math.Abs(y - line) <= 1) return (30, 100, 200, 255);
        return x % 40 == 0 || y % 30 == 0 ? ((byte)220, (byte)220, (byte)220, (byte)255) : ((byte)255, (byte)255, (byte)255, (byte)255);
    });

    /// <summary>Incompressible bytes, so a "PNG" this big really weighs this much.</summary>
    public static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        new Random(4).NextBytes(bytes);
        return bytes;
    }
}
