using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GrowthBot.Connectors.Zendesk.Tests;

/// <summary>Zendesk event-subscription payloads shaped as Zendesk documents them (zendesk_event_version 2022-11-06), from Fixtures/.</summary>
internal static class ZendeskFixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json"));

    public static byte[] Bytes(string name) => Encoding.UTF8.GetBytes(Text(name));

    public static JsonElement Root(string name) => JsonDocument.Parse(Text(name)).RootElement;

    /// <summary>A fixture with its JSON changed first, as another Zendesk account might send it.</summary>
    public static JsonElement Root(string name, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(Text(name))!.AsObject();
        change(node);
        return JsonDocument.Parse(node.ToJsonString()).RootElement;
    }
}
