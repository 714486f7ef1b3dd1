using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrowthBot.Bench.Slack;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Bench.Surveys;

/// <summary>One press: who, which score, its block_actions form body, and how it was answered.</summary>
internal sealed class Press(int index, string user, string invitationId, int score, byte[] body)
{
    public int Index { get; } = index;
    public string User { get; } = user;
    public string InvitationId { get; } = invitationId;
    public int Score { get; } = score;
    public byte[] Body { get; } = body;
    public SendOutcome Outcome { get; set; } = new();
    public int Status => Outcome.Status;
    public double AckMs => Outcome.AckMs;
    public bool Skipped => Outcome.Skipped;
}

/// <summary>
/// Signed survey presses as Slack delivers them to the interactivity endpoint, sent by the shared
/// open-loop driver. Each press's payload (with its button value, signed by the survey key) is built
/// before the run; the Slack request signature is made when the press is sent, as Slack does.
/// </summary>
internal sealed class PressDriver(HttpClient client, Uri interactivity, string runId, SurveyButtonCodec codec, string slackSecret, Uri responseUrl, int maxInFlight)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(slackSecret);

    public IReadOnlyList<Press> Plan(int first, int count, int people)
    {
        var presses = new List<Press>(count);
        for (var i = first; i < first + count; i++)
        {
            var user = User(i % people);
            var invitationId = SurveyInvitation.IdFor(runId, ChatPlatform.Slack, user);
            presses.Add(new Press(i, user, invitationId, i % 11, Body(i, user, invitationId, i % 11)));
        }
        return presses;
    }

    public static string User(int person) => string.Create(CultureInfo.InvariantCulture, $"U{person:D6}");

    public async Task RunAsync(IReadOnlyList<Press> presses, int rate)
    {
        var driver = new OpenLoopDriver(client, maxInFlight);
        var plan = OpenLoopDriver.Plan(presses.Count, rate, 0, seed: 0);
        var outcomes = await driver.RunAsync(plan, planned => Request(presses[planned.Item]), TimeSpan.FromSeconds((presses.Count / (double)rate) + 60));
        for (var k = 0; k < plan.Count; k++) presses[plan[k].Item].Outcome = outcomes[k];
    }

    private byte[] Body(int index, string user, string invitationId, int score)
    {
        var value = codec.Sign(SurveyMessages.ScoreAction, runId, invitationId, score);
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = user, team_id = "T0CUSTOMER" },
            team = new { id = "T0HOME" },
            channel = new { id = "D0BENCH" },
            response_url = responseUrl.ToString(),
            actions = new[] { new { action_id = $"survey.score#{score}", value, type = "button", action_ts = string.Create(CultureInfo.InvariantCulture, $"1732616000.{index:D9}") } },
        });
        return Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
    }

    private HttpRequestMessage Request(Press press)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, interactivity) { Content = new ByteArrayContent(press.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", now);
        request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, (byte[])[.. Encoding.UTF8.GetBytes($"v0:{now}:"), .. press.Body])));
        return request;
    }
}
