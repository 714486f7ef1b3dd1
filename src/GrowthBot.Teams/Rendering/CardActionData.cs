using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Conversations;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// What a button carries back to the bot: <c>{"actionId": …, "value": …}</c> as the card's
/// <c>data</c>, to which Teams adds every input of the card by its id. It arrives as
/// <c>value.action.data</c> of an <c>adaptiveCard/action</c> invoke (Action.Execute) or as
/// <c>value</c> of a <c>message</c> activity (the Action.Submit fallback); <see cref="TryRead"/>
/// reads either.
/// </summary>
internal static class CardActionData
{
    public const string ActionIdKey = "actionId";
    public const string ValueKey = "value";

    /// <summary>Keys that are not inputs: ours, and what Teams adds to submit data.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { ActionIdKey, ValueKey, "msteams" };

    public static JsonObject Create(ChatAction action) => new()
    {
        [ActionIdKey] = action.ActionId,
        [ValueKey] = action.Value,
    };

    /// <summary>True when an input with this id would overwrite the button's own data.</summary>
    public static bool IsReserved(string inputId) => Reserved.Contains(inputId);

    /// <summary>
    /// Reads the data of a pressed button. False when it is not GrowthBot's (no action id); typed
    /// inputs come back trimmed, empty ones left out.
    /// </summary>
    public static bool TryRead(JsonElement data, out string actionId, out string value, out IReadOnlyDictionary<string, string> inputs)
    {
        actionId = string.Empty;
        value = string.Empty;
        inputs = new Dictionary<string, string>();
        if (data.ValueKind != JsonValueKind.Object) return false;
        if (!data.TryGetProperty(ActionIdKey, out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString())) return false;
        actionId = id.GetString()!;
        value = data.TryGetProperty(ValueKey, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in data.EnumerateObject())
        {
            if (Reserved.Contains(property.Name) || property.Value.ValueKind != JsonValueKind.String) continue;
            var text = property.Value.GetString()!.Trim();
            if (text.Length > 0) typed[property.Name] = text;
        }
        inputs = typed;
        return true;
    }
}
