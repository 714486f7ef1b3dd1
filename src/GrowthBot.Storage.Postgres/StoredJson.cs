using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrowthBot.Storage.Postgres;

/// <summary>
/// Core's records kept whole in a jsonb column beside the columns that are queried (platform, ids,
/// state). Enums by name, so a reordered enum cannot change what is stored; computed properties are
/// not stored.
/// </summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        IgnoreReadOnlyProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new InvalidDataException($"A stored {typeof(T).Name} was null.");
}
