using System.Text.Json;
using System.Text.Json.Serialization;

namespace GrowthBot.Core.Import;

[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ImportJson : JsonSerializerContext;
