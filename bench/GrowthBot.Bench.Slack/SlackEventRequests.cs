using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace GrowthBot.Bench.Slack;

/// <summary>Builds each planned send as Slack would deliver it: signed at the moment it is sent, with Slack's retry headers on a retry.</summary>
internal static class SlackEventRequests
{
    public static Func<PlannedSend, HttpRequestMessage> For(IReadOnlyList<BenchEvent> events, Uri eventsUri, byte[] signingSecret) => planned =>
    {
        var body = events[planned.Item].Body;
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, eventsUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackEvents.Signature(timestamp, body, signingSecret));
        if (planned.IsRepeat)
        {
            request.Headers.Add("X-Slack-Retry-Num", "1");
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }
        return request;
    };
}
