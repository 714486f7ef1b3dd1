using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GrowthBot.Bench.Slack;

namespace GrowthBot.Bench.Teams;

/// <summary>One activity of the load: its id (what the reply answers) and its JSON body.</summary>
internal sealed record BenchActivity(string Id, byte[] Body);

/// <summary>
/// Personal-chat message activities as Teams sends them (the question varies), and their requests
/// for the shared open-loop driver, every one carrying the Bot Framework token.
/// </summary>
internal static class TeamsLoad
{
    private static readonly string[] Questions =
    [
        "what's our churn this month?", "nps last quarter", "mrr this month", "how many new customers this month?",
        "csat this quarter", "activation rate this month", "ltv", "net revenue retention last quarter",
    ];

    public static IReadOnlyList<BenchActivity> Activities(string prefix, int count, int conversations, string serviceUrl)
    {
        var activities = new List<BenchActivity>(count);
        for (var i = 0; i < count; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i}");
            var conversation = string.Create(CultureInfo.InvariantCulture, $"a:1bench-{prefix}-{i % conversations}");
            var user = string.Create(CultureInfo.InvariantCulture, $"bench-user-{prefix}-{i % conversations}");
            var tenant = BenchBotFramework.Tenants[i % conversations % BenchBotFramework.Tenants.Count];
            var activity = new JsonObject
            {
                ["type"] = "message",
                ["id"] = id,
                ["timestamp"] = "2026-11-26T10:00:00.000Z",
                ["channelId"] = "msteams",
                ["serviceUrl"] = serviceUrl,
                ["from"] = new JsonObject { ["id"] = "29:" + user, ["name"] = "Bench User", ["aadObjectId"] = user },
                ["conversation"] = new JsonObject { ["conversationType"] = "personal", ["tenantId"] = tenant, ["id"] = conversation },
                ["recipient"] = new JsonObject { ["id"] = "28:" + BenchBotFramework.AppId, ["name"] = "GrowthBot" },
                ["text"] = Questions[i % Questions.Length],
                ["textFormat"] = "plain",
                ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } },
                ["locale"] = "en-US",
            };
            activities.Add(new BenchActivity(id, Encoding.UTF8.GetBytes(activity.ToJsonString())));
        }
        return activities;
    }

    public static Func<PlannedSend, HttpRequestMessage> Requests(IReadOnlyList<BenchActivity> activities, Uri messagesUri, string token) => planned =>
    {
        var request = new HttpRequestMessage(HttpMethod.Post, messagesUri) { Content = new ByteArrayContent(activities[planned.Item].Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    };
}
