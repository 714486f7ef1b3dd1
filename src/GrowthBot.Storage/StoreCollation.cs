using System.Globalization;
using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// How the store's file compares strings (ids in every index). LiteDB fixes a file's collation
/// when it creates the file and refuses to open it with another, so only a new file gets
/// <see cref="ForNewFiles"/>; a file created by an earlier version keeps its own (the process's
/// culture, ignoring case) and opens as before.
/// </summary>
internal static class StoreCollation
{
    /// <summary>
    /// Invariant culture, <see cref="CompareOptions.OrdinalIgnoreCase"/>: ids still match ignoring case,
    /// as the store has always compared them (so <c>ACME</c> still finds <c>acme</c> and is refused
    /// as a collision), but by code point instead of through ICU's culture rules. A million-row
    /// import spent over a third of its time in the <c>_id</c> index comparing keys through ICU.
    /// </summary>
    public static Collation ForNewFiles { get; } = new(127, CompareOptions.OrdinalIgnoreCase);

    /// <summary>The collation to create <paramref name="path"/> with: <see cref="ForNewFiles"/> when LiteDB will create it, else null (keep the file's).</summary>
    public static Collation? For(string path)
    {
        var file = new FileInfo(path);
        return file.Exists && file.Length > 0 ? null : ForNewFiles;
    }

    /// <summary>A .NET comparer that matches ids exactly as <paramref name="collation"/> does (the culture's own, or an ordinal one).</summary>
    public static StringComparer ComparerOf(Collation collation) => collation.SortOptions switch
    {
        CompareOptions.Ordinal => StringComparer.Ordinal,
        CompareOptions.OrdinalIgnoreCase => StringComparer.OrdinalIgnoreCase,
        _ => StringComparer.Create(collation.Culture, collation.SortOptions),
    };
}
