using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Inbound;

/// <summary>
/// How the bot answers one delivery from Slack, whichever way it came: over HTTP it is the status
/// and body of the response, over Socket Mode the acknowledgement of the envelope (with the body as
/// its payload; a status other than 200 is not acknowledged, so Slack delivers it again).
/// <see cref="Sent"/>, when set, is told once the answer has gone out (true) or could not (false):
/// a command answered inline counts as answered only then.
/// </summary>
internal sealed record SlackAck(int Status, JsonNode? Body = null, Action<bool>? Sent = null)
{
    public static SlackAck Ok() => new(200);

    public static SlackAck Json(JsonNode body) => new(200, body);

    public static SlackAck BadRequest(string error) => new(400, new JsonObject { ["error"] = error });

    /// <summary>A message only the asker sees (a slash command's inline answer).</summary>
    public static SlackAck Ephemeral(string text, JsonArray? blocks = null, Action<bool>? sent = null)
    {
        var body = new JsonObject { ["response_type"] = "ephemeral", ["text"] = text };
        if (blocks is not null) body["blocks"] = blocks;
        return new SlackAck(200, body, sent);
    }
}
