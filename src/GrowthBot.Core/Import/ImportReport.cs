namespace GrowthBot.Core.Import;

/// <summary>A row that could not be imported: its line in the file (1 = the header) and why.</summary>
public sealed record ImportError(long Line, string Reason)
{
    public override string ToString() => $"line {Line}: {Reason}";
}

/// <summary>What an import did. With any error nothing was written.</summary>
public sealed record ImportReport(ImportKind Kind, int Rows, int Inserted, int Updated, int Unchanged, IReadOnlyList<ImportError> Errors)
{
    /// <summary>Rows that were imported but may not mean what was meant (see <see cref="ImportParseResult.Warnings"/>).</summary>
    public IReadOnlyList<ImportError> Warnings { get; init; } = [];

    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Where an import is: rows read from the file, then rows written to the store.</summary>
public sealed record ImportProgress(string Stage, long Rows, long? Total);
