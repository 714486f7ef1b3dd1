using System.Globalization;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>
/// Reads the rows of the phrasing tables: <c>question | metrics | from | to | compare from | compare to | by | series</c>.
/// Times are wall-clock times in the table's zone ("2025-11-01" is midnight), "now" is the fixed clock
/// reading, and "-" means none.
/// </summary>
internal static class ParserTable
{
    /// <summary>Wednesday 26 November 2025, 10:00 UTC: 11:00 in Berlin, 05:00 in New York.</summary>
    public static readonly DateTimeOffset Now = new(2025, 11, 26, 10, 0, 0, TimeSpan.Zero);

    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    public static void AssertRow(string row, TimeZoneInfo zone, ParsedQuestion? previous = null)
    {
        var cells = row.Split('|').Select(cell => cell.Trim()).ToArray();
        Assert.True(cells.Length == 8, $"A row has 8 cells: {row}");
        var parsed = QuestionParser.Parse(cells[0], Now, zone, previous);
        var expected = Expected(cells, zone);
        var actual = Actual(parsed);
        Assert.Equal(expected, actual);
    }

    public static string Actual(ParsedQuestion parsed) => string.Join(" | ",
        parsed.Intent,
        string.Join(",", parsed.Metrics.Select(metric => MetricCatalog.Get(metric).Name)),
        Instant(parsed.Period?.From), Instant(parsed.Period?.To),
        Instant(parsed.Compare?.From), Instant(parsed.Compare?.To),
        parsed.By == Breakdown.None ? "-" : parsed.By.ToString().ToLowerInvariant(),
        parsed.Series == SeriesUnit.None ? "-" : parsed.Series.ToString().ToLowerInvariant());

    private static string Expected(string[] cells, TimeZoneInfo zone) => string.Join(" | ",
        QuestionIntent.Metrics,
        cells[1].Replace(" ", "", StringComparison.Ordinal),
        Instant(Local(cells[2], zone)), Instant(Local(cells[3], zone)),
        Instant(Local(cells[4], zone)), Instant(Local(cells[5], zone)),
        cells[6], cells[7]);

    public static DateTime? Local(string cell, TimeZoneInfo zone)
    {
        if (cell == "-") return null;
        if (cell == "now") return Now.UtcDateTime;
        var local = DateTime.ParseExact(cell, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static string Instant(DateTime? utc) => utc is { } moment ? moment.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture) : "-";
}
