using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace GrowthBot.Bench.Slack;

/// <summary>One app_mention event the benchmark sends: its body, and the channel + ts its answer must name.</summary>
internal sealed record BenchEvent(int Index, string EventId, string Channel, string Ts, string Text, byte[] Body)
{
    /// <summary>The key an answer is matched by: chat.postMessage's channel and thread_ts (the mention's ts).</summary>
    public string AnswerKey => SlackEvents.AnswerKey(Channel, Ts);
}

/// <summary>Builds Events API payloads the way Slack sends them, and signs requests the way Slack does.</summary>
internal static class SlackEvents
{
    public const string TeamId = "T0HOME";
    public const string BotUserId = "U0BOT";
    public const string BotId = "B0BENCH";
    public const string BotToken = "xoxb-bench";
    public const string AppToken = "xapp-1-A0BENCH-bench";
    public const string HotChannel = "C0HOTCHANNEL";

    /// <summary>
    /// Questions staff really ask; all are understood by the parser, so with demo data each gets
    /// a real answer from the metric engine (with an empty store, a "no data" answer).
    /// </summary>
    private static readonly string[] Questions =
    [
        "churn this month",
        "what's our NPS last quarter?",
        "MRR this month vs last month",
        "CAC by channel since March",
        "net revenue retention this quarter",
        "activation rate last month",
    ];

    public static string AnswerKey(string channel, string? threadTs) => channel + "|" + threadTs;

    /// <summary>
    /// Events <paramref name="count"/> long, spread round-robin over channels and users. Event ids and
    /// ts values are unique within the run (<paramref name="tag"/> tells runs and the warm-up apart).
    /// </summary>
    /// <remarks>With <paramref name="hotEvery"/> &gt; 0, every hotEvery-th event goes to one busy channel, <see cref="HotChannel"/>, instead.</remarks>
    public static IReadOnlyList<BenchEvent> Create(int count, string tag, string channelPrefix, int channels, int users, long unixSeconds, int hotEvery = 0)
    {
        var events = new BenchEvent[count];
        for (var i = 0; i < count; i++)
        {
            var channel = hotEvery > 0 && i % hotEvery == 0
                ? HotChannel
                : string.Create(CultureInfo.InvariantCulture, $"{channelPrefix}{i % channels:D5}");
            var user = string.Create(CultureInfo.InvariantCulture, $"U0STAFF{i % users:D5}");
            var ts = string.Create(CultureInfo.InvariantCulture, $"{unixSeconds}.{i:D6}");
            var eventId = string.Create(CultureInfo.InvariantCulture, $"Ev0{tag}{i:D7}");
            var text = $"<@{BotUserId}> {Questions[i % Questions.Length]}";
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                token = "bench-verification-token",
                team_id = TeamId,
                api_app_id = "A0BENCH",
                @event = new
                {
                    type = "app_mention",
                    user,
                    text,
                    ts,
                    team = TeamId,
                    channel,
                    event_ts = ts,
                },
                type = "event_callback",
                event_id = eventId,
                event_time = unixSeconds,
                authorizations = new[] { new { enterprise_id = (string?)null, team_id = TeamId, user_id = BotUserId, is_bot = true, is_enterprise_install = false } },
                is_ext_shared_channel = false,
                event_context = "4-bench",
            });
            events[i] = new BenchEvent(i, eventId, channel, ts, text, body);
        }
        return events;
    }

    /// <summary>
    /// <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{body}</c>. Written out here rather than
    /// calling <c>SlackSignature.Header</c>, which is internal to GrowthBot.Slack (visible to its test
    /// projects only); the host verifies it, so a mistake here shows up as 401s.
    /// </summary>
    public static string Signature(string timestamp, byte[] body, byte[] secret)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message, prefix.Length);
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }
}
