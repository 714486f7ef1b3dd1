using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Surveys;

namespace GrowthBot.Cluster.Tests.Failover;

/// <summary>One app_mention the burst sends, and the channel and thread its answer must name.</summary>
internal sealed record MentionEvent(string EventId, string Channel, string Ts, string User, byte[] Body);

/// <summary>One survey button press the burst sends, for one person's invitation.</summary>
internal sealed record SurveyPress(string User, string InvitationId, int Score, byte[] Body);

/// <summary>
/// What Slack sends the hosts, built as Slack builds it: Events API <c>event_callback</c> bodies (the shape of
/// the Slack adapter's app_mention fixture), <c>block_actions</c> interactivity payloads as a form field, and
/// each request signed at the moment it is sent (<c>v0=</c> HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>), with
/// <c>X-Slack-Retry-Num</c>/<c>X-Slack-Retry-Reason</c> on a redelivery.
/// </summary>
internal sealed class SlackDeliveries(string signingSecret, string teamId, string botUserId)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(signingSecret);

    public MentionEvent Mention(string eventId, string channel, string user, string ts, string question)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            token = "ZZZZZZWSxiZZZ2yIvs3peJ",
            team_id = teamId,
            api_app_id = "A0GROWTH",
            @event = new { type = "app_mention", user, text = $"<@{botUserId}> {question}", ts, channel, event_ts = ts, team = teamId },
            type = "event_callback",
            event_id = eventId,
            event_time = long.Parse(ts.Split('.')[0], CultureInfo.InvariantCulture),
            authorizations = new[] { new { enterprise_id = (string?)null, team_id = teamId, user_id = botUserId, is_bot = true, is_enterprise_install = false } },
            is_ext_shared_channel = false,
            event_context = "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
        });
        return new MentionEvent(eventId, channel, ts, user, body);
    }

    public SurveyPress Press(SurveyButtonCodec codec, string runId, string user, int score, string responseUrl, string actionTs)
    {
        var invitation = SurveyInvitation.IdFor(runId, ChatPlatform.Slack, user);
        var payload = JsonSerializer.Serialize(new
        {
            type = "block_actions",
            user = new { id = user, team_id = "T0CUSTOMER" },
            team = new { id = teamId },
            channel = new { id = "D0OPENED" },
            response_url = responseUrl,
            actions = new[] { new { action_id = $"survey.score#{score}", value = codec.Sign(SurveyMessages.ScoreAction, runId, invitation, score), type = "button", action_ts = actionTs } },
        });
        return new SurveyPress(user, invitation, score, Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload)));
    }

    /// <summary>The event as Slack posts it to the Events API URL; a retry carries its number and Slack's reason.</summary>
    public HttpRequestMessage EventRequest(MentionEvent mention, int retry = 0, string? reason = null)
    {
        var request = Signed("slack/events", mention.Body, new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" });
        if (retry > 0)
        {
            request.Headers.Add("X-Slack-Retry-Num", retry.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Retry-Reason", reason ?? "http_timeout");
        }
        return request;
    }

    public HttpRequestMessage PressRequest(SurveyPress press) =>
        Signed("slack/interactivity", press.Body, new MediaTypeHeaderValue("application/x-www-form-urlencoded"));

    private HttpRequestMessage Signed(string path, byte[] body, MediaTypeHeaderValue contentType)
    {
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = contentType;
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, (byte[])[.. Encoding.UTF8.GetBytes($"v0:{timestamp}:"), .. body])));
        return request;
    }
}
