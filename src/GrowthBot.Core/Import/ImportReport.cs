namespace GrowthBot.Core.Import;

/// <summary>
/// A row that could not be imported: where it is and why. <see cref="Line"/> is the line in the
/// file (1 = the header) for CSV and NDJSON, or the item's position (1 = the first) in a JSON
/// array, as <see cref="Unit"/> says.
/// </summary>
public sealed record ImportError(long Line, string Reason, string Unit = ImportError.LineUnit)
{
    public const string LineUnit = "line";
    public const string ItemUnit = "item";

    public override string ToString() => $"{Unit} {Line}: {Reason}";
}

/// <summary>What an import did. With any error nothing was written.</summary>
public sealed record ImportReport(ImportKind Kind, int Rows, int Inserted, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    /// <summary>Rows that were imported but may not mean what was meant (see <see cref="ImportParseResult.Warnings"/>).</summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Where an import is: rows read from the file, then rows written to the store (or bytes sent to the host, as <see cref="Unit"/> says).</summary>
public sealed record ImportProgress(string Stage, long Rows, long? Total, string Unit = "rows");
