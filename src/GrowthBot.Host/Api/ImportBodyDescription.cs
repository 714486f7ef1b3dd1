using GrowthBot.Core.Import;
using Microsoft.OpenApi;

namespace GrowthBot.Host.Api;

/// <summary>The OpenAPI description of an import body: the three content types and each kind's columns.</summary>
internal static class ImportBodyDescription
{
    public static OpenApiRequestBody Create()
    {
        var columns = string.Join("; ", Enum.GetValues<ImportKind>().Select(kind => $"{ImportKinds.NameOf(kind)}: {string.Join(",", ImportKinds.ColumnsOf(kind))}"));
        var row = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "One row: the kind's columns as properties (text or numbers; null or missing = empty)." };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = $"The rows to import, with the kind's columns ({columns}). UTF-8. All rows are written or none.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "CSV with a header row naming the columns." } },
                ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = row } },
                ["application/x-ndjson"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "One JSON object per line." } },
            },
        };
    }
}
