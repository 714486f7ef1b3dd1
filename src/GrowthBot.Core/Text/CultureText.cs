using System.Globalization;
using System.Text.RegularExpressions;

namespace GrowthBot.Core.Text;

/// <summary>
/// Numbers, amounts, percentages and dates in an <see cref="AnswerCulture"/>: the culture's separators,
/// the placement of its percent sign and currency, and its own date order and month names. A null
/// culture writes GrowthBot's own style exactly as it always has ("1,234.56", "3.1%", "USD 1,234.56",
/// "Dec 5, 2026"), which en-US matches too. Times stay on the 24-hour clock in every culture.
/// </summary>
internal static partial class CultureText
{
    private static CultureInfo Of(CultureInfo? culture) => culture ?? CultureInfo.InvariantCulture;

    /// <summary>A number in a custom .NET format ("#,0.00"), with the culture's group and decimal separators.</summary>
    public static string Number(decimal value, string format, CultureInfo? culture) => value.ToString(format, Of(culture));

    /// <inheritdoc cref="Number(decimal, string, CultureInfo?)"/>
    public static string Number(long value, string format, CultureInfo? culture) => value.ToString(format, Of(culture));

    /// <summary>
    /// A formatted number with the percent sign where the culture puts it: "3.1%", "3,1 %", "%3,1".
    /// A leading sign stays in front ("−0,4 %").
    /// </summary>
    public static string Percent(string number, CultureInfo? culture)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (culture is null) return number + "%";
        var (sign, digits) = SplitSign(number);
        var symbol = culture.NumberFormat.PercentSymbol;
        // The four placements .NET formats positive percentages with (NumberFormatInfo.PercentPositivePattern).
        return sign + culture.NumberFormat.PercentPositivePattern switch
        {
            0 => $"{digits} {symbol}",
            1 => $"{digits}{symbol}",
            2 => $"{symbol}{digits}",
            _ => $"{symbol} {digits}",
        };
    }

    /// <summary>
    /// An amount in the reporting currency, named by its code, on the side the culture puts a currency:
    /// "USD 1,234.56" (GrowthBot's style, en-US, ja-JP), "1.234,56 USD" (de-DE). A leading sign stays in front.
    /// </summary>
    public static string Money(string number, string currency, CultureInfo? culture)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (culture is null) return $"{currency} {number}";
        var (sign, digits) = SplitSign(number);
        // CurrencyPositivePattern: 0 "$n", 1 "n$", 2 "$ n", 3 "n $". A code, unlike a symbol, always gets its space.
        return culture.NumberFormat.CurrencyPositivePattern is 1 or 3 ? $"{sign}{digits} {currency}" : $"{sign}{currency} {digits}";
    }

    /// <summary>"Dec 5", "5. Dez.", "5 déc.", "12月5日".</summary>
    public static string MonthDay(DateTime moment, CultureInfo? culture) => moment.ToString(MonthDayPattern(culture), Of(culture));

    /// <summary>"Dec 5, 2026", "5. Dez. 2026", "5 déc. 2026", "2026年12月5日".</summary>
    public static string Date(DateTime moment, CultureInfo? culture) =>
        moment.ToString(culture is null ? "MMM d, yyyy" : Abbreviated(Weekday().Replace(culture.DateTimeFormat.LongDatePattern, " ").Trim()), Of(culture));

    /// <summary>"Dec 2026", "Dez. 2026", "2026年12月".</summary>
    public static string MonthYear(DateTime moment, CultureInfo? culture) =>
        moment.ToString(culture is null ? "MMM yyyy" : Abbreviated(culture.DateTimeFormat.YearMonthPattern), Of(culture));

    /// <summary>"14:00" in every culture, with the culture's digits and separator.</summary>
    public static string Time(DateTime moment, CultureInfo? culture) => moment.ToString("HH:mm", Of(culture));

    /// <summary>
    /// Whether the culture writes a day as "Dec 5" (month first, then the day): such cultures shorten a
    /// range within one month to "Dec 1–26"; the others repeat the month ("1. Dez. – 26. Dez.").
    /// </summary>
    public static bool MonthFirst(CultureInfo? culture) => MonthDayPattern(culture) == "MMM d";

    private static string MonthDayPattern(CultureInfo? culture) => culture is null ? "MMM d" : Abbreviated(culture.DateTimeFormat.MonthDayPattern);

    /// <summary>A culture's long pattern with the abbreviated month name ("MMMM" → "MMM"), the way answers name months.</summary>
    private static string Abbreviated(string pattern) => FullMonth().Replace(pattern, "MMM");

    private static (string Sign, string Digits) SplitSign(string number) =>
        number.Length > 0 && number[0] is '+' or '-' or '−' ? (number[..1], number[1..]) : (string.Empty, number);

    [GeneratedRegex("(?<!M)MMMM(?!M)")]
    private static partial Regex FullMonth();

    /// <summary>The weekday and the commas and spaces around it ("dddd, " in "dddd, d. MMMM yyyy").</summary>
    [GeneratedRegex(@"[\s,]*dddd[\s,]*")]
    private static partial Regex Weekday();
}
