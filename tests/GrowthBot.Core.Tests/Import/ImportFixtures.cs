using GrowthBot.Core.Import;

namespace GrowthBot.Core.Tests.Import;

/// <summary>The CSV files under Import/Fixtures (copied next to the test assembly) and small CSV helpers.</summary>
internal static class ImportFixtures
{
    /// <summary>The good file of a kind: <c>customers.csv</c>, <c>spend.csv</c>, …</summary>
    public static string PathOf(ImportKind kind) => PathOf(ImportKinds.NameOf(kind) + ".csv");

    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Import", "Fixtures", fileName);

    /// <summary>Parses a fixture the way the import command reads it: a StreamReader that detects a BOM.</summary>
    public static ImportParseResult ParseFile(ImportKind kind, string? fileName = null)
    {
        using var reader = new StreamReader(fileName is null ? PathOf(kind) : PathOf(fileName), detectEncodingFromByteOrderMarks: true);
        return CsvImportParser.Parse(kind, reader);
    }

    public static ImportParseResult Parse(ImportKind kind, string csv)
    {
        using var reader = new StringReader(csv);
        return CsvImportParser.Parse(kind, reader);
    }

    /// <summary>The kind's header line followed by <paramref name="rows"/>, one per line.</summary>
    public static string WithHeader(ImportKind kind, params string[] rows) =>
        string.Join("\n", [string.Join(",", ImportKinds.ColumnsOf(kind)), .. rows]) + "\n";

    /// <summary>A row of the kind that parses cleanly.</summary>
    public static string GoodRow(ImportKind kind) => kind switch
    {
        ImportKind.Customers => "c0,Good Co,smb,organic,2025-01-01,2025-01-02",
        ImportKind.Subscriptions => "c0,2025-01-01,100",
        ImportKind.Orders => "o0,c0,2025-01-01,100",
        ImportKind.Spend => "2025-01-01,organic,marketing,100",
        ImportKind.Tickets => "t0,c0,2025-01-01,2025-01-02,1",
        ImportKind.Responses => "r0,nps,c0,9,,2025-01-01",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The given moment of 2025, UTC.</summary>
    public static DateTime At(int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(2025, month, day, hour, minute, second, DateTimeKind.Utc);

    public static string Describe(IEnumerable<ImportError> errors) => string.Join(" | ", errors);
}
