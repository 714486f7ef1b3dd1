using System.Globalization;

namespace GrowthBot.Core.Import;

/// <summary>
/// Reads typed fields from one CSV record by column name, collecting a clear reason for each bad
/// field instead of throwing. Dates are ISO-8601 and kept to the second: a time with a <c>Z</c> or
/// an offset ("2025-03-01T09:30:00Z", "…+01:00") is that exact instant; a date without a time
/// ("2025-03-01") is that day in the company's time zone, and a time without an offset is that
/// wall-clock time there. Amounts use a dot for decimals and are kept to four decimal places.
/// </summary>
internal sealed class CsvFieldReader(IReadOnlyDictionary<string, int> columns, TimeZoneInfo zone)
{
    /// <summary>
    /// The largest amount one row may hold. The engine sums money exactly in 64-bit integers of
    /// ten-thousandths (up to about 9.2×10¹⁴), so with amounts below a billion even 900,000 rows
    /// at the limit cannot wrap a total; no real MRR, order or spend line comes near it.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000m;

    /// <summary>The first moment the store and the index can hold.</summary>
    public static readonly DateTime EarliestMoment = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    /// <summary>The first moment past what they can hold (the index counts seconds in 32 bits).</summary>
    public static readonly DateTime LatestMoment = new(2068, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ssK",
    ];

    private string[] _record = [];

    public List<string> Problems { get; } = [];

    public void Start(string[] record)
    {
        _record = record;
        Problems.Clear();
    }

    public string Text(string column)
    {
        // Optional columns (spend_id) may be absent from the header: absent reads as empty.
        if (!columns.TryGetValue(column, out var index)) return string.Empty;
        return index < _record.Length ? _record[index].Trim() : string.Empty;
    }

    public string Required(string column)
    {
        var value = Text(column);
        if (value.Length == 0) Problems.Add($"{column} is empty");
        return value;
    }

    public DateTime Date(string column)
    {
        var text = Text(column);
        if (text.Length == 0)
        {
            Problems.Add($"{column} is empty");
            return default;
        }
        return ParseDate(column, text) ?? default;
    }

    public DateTime? OptionalDate(string column)
    {
        var text = Text(column);
        return text.Length == 0 ? null : ParseDate(column, text);
    }

    public decimal Money(string column)
    {
        var text = Text(column);
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            Problems.Add(text.Length == 0 ? $"{column} is empty" : $"{column} '{text}' is not a number (use a dot for decimals, no currency sign)");
            return 0m;
        }
        if (amount < 0m)
        {
            Problems.Add($"{column} {text} is negative");
            return 0m;
        }
        if (amount >= MaxAmount)
        {
            Problems.Add($"{column} {text} is too large (amounts must be below 1,000,000,000)");
            return 0m;
        }
        return decimal.Round(amount, 4, MidpointRounding.AwayFromZero);
    }

    public int Integer(string column, int min, int max)
    {
        var text = Text(column);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Problems.Add(text.Length == 0 ? $"{column} is empty" : $"{column} '{text}' is not a whole number");
            return min;
        }
        if (value < min || value > max)
        {
            Problems.Add($"{column} {value} is out of range ({min}–{max})");
            return min;
        }
        return value;
    }

    /// <summary>True when the text ends with a time zone designator: Z or ±hh:mm after a time.</summary>
    private static bool HasOffset(string text)
    {
        var time = text.IndexOfAny(['T', ' ']);
        if (time < 0) return false;
        var tail = text[time..];
        return tail.EndsWith('Z') || tail.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(tail, @"[+-]\d{2}(:?\d{2})?$");
    }

    /// <summary>
    /// The shapes nearly every export uses (2025-03-01, 2025-03-01T09:30:00, 2025-03-01T09:30:00Z),
    /// read by hand: trying nine formats in turn was half the cost of reading a file. Anything
    /// else (or anything odd in these) goes to the general parse, which also words the error.
    /// </summary>
    private static bool TryParseCommon(string text, out DateTime moment, out bool hasOffset)
    {
        moment = default;
        hasOffset = false;
        if (text.Length is not (10 or 19 or 20) || text[4] != '-' || text[7] != '-') return false;
        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)) return false;
        int hour = 0, minute = 0, second = 0;
        if (text.Length > 10)
        {
            if (text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
            if (!Digits(text, 11, 2, out hour) || !Digits(text, 14, 2, out minute) || !Digits(text, 17, 2, out second)) return false;
            if (text.Length == 20)
            {
                if (text[19] != 'Z') return false;
                hasOffset = true;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        moment = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if ((uint)digit > 9) return false;
            value = (value * 10) + digit;
        }
        return true;
    }

    private DateTime? ParseDate(string column, string text)
    {
        if (TryParseCommon(text, out var moment, out var hasOffset))
        {
            // Read as written; below, a reading without an offset is placed in the company's zone.
        }
        else if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out moment))
        {
            hasOffset = HasOffset(text);
        }
        else
        {
            Problems.Add($"{column} '{text}' is not an ISO-8601 date (e.g. 2025-03-01 or 2025-03-01T09:30:00Z)");
            return null;
        }
        if (!hasOffset)
        {
            // Parsed as if UTC, so `moment` holds the wall-clock reading: place it in the company's zone.
            var wall = DateTime.SpecifyKind(moment, DateTimeKind.Unspecified);
            // A day that starts in a daylight-saving gap (clocks jump over midnight) starts at the first valid minute.
            var guard = 0;
            while (zone.IsInvalidTime(wall) && guard++ < 180) wall = wall.AddMinutes(1);
            moment = TimeZoneInfo.ConvertTimeToUtc(wall, zone);
        }
        if (moment < EarliestMoment || moment >= LatestMoment)
        {
            Problems.Add($"{column} {text} is outside the supported years 2000–2067");
            return null;
        }
        return new DateTime(moment.Ticks - (moment.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
