namespace GrowthBot.Core.Import;

/// <summary>The encodings an import accepts, all with the same columns (<see cref="ImportKinds.ColumnsOf"/>).</summary>
public enum ImportFormat
{
    /// <summary>CSV with a header row.</summary>
    Csv,
    /// <summary>JSON: an array of objects, or (when the body starts with an object) one object per line.</summary>
    Json,
    /// <summary>Newline-delimited JSON: one object per line.</summary>
    Ndjson,
}
