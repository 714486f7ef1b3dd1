using System.Globalization;
using System.Text.RegularExpressions;

namespace GrowthBot.Core.Digests;

/// <summary>
/// Reads a schedule as people type it: "mondays 09:00", "weekdays 8:30", "daily 17:00",
/// "fridays at 4pm", "every tuesday at noon", "mon,thu 16:00", "mon-fri 7am". Days default to
/// Mondays and the time to 09:00 when left out. Case, "on", "at", "every" and commas do not matter.
/// </summary>
public static partial class ScheduleParser
{
    public const string Examples = "\"mondays 09:00\", \"weekdays 8:30\", \"daily 17:00\", \"fridays at 4pm\"";

    private static readonly Dictionary<string, ScheduleDays> DayWords = BuildDayWords();

    /// <summary>True with the schedule, or false with a message saying what could not be read.</summary>
    public static bool TryParse(string? text, out DigestSchedule schedule, out string error)
    {
        schedule = DigestSchedule.Default;
        error = string.Empty;
        var words = Words(text);
        var days = ScheduleDays.None;
        TimeOnly? at = null;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "on" or "at" or "every" or "each" or "and" or "the") continue;
            if (word == "day" || word == "days")
            {
                days |= ScheduleDays.Every;
                continue;
            }
            if (DayWords.TryGetValue(word, out var flag))
            {
                days |= flag;
                continue;
            }
            if (DayRange().Match(word) is { Success: true } range && DayWords.TryGetValue(range.Groups[1].Value, out var first) && DayWords.TryGetValue(range.Groups[2].Value, out var last))
            {
                days |= Range(first, last);
                continue;
            }
            // "4 pm": the meridiem as its own word belongs to the number before it.
            var candidate = i + 1 < words.Count && words[i + 1] is "am" or "pm" ? word + words[++i] : word;
            if (TryTime(candidate, out var time, out var timeError))
            {
                if (at is not null)
                {
                    error = $"I found two times in \"{text?.Trim()}\"; a digest goes out once on each day. Try {Examples}.";
                    return false;
                }
                at = time;
                continue;
            }
            error = timeError ?? $"I couldn't read \"{word}\" as a day or a time. Try {Examples}.";
            return false;
        }
        schedule = new DigestSchedule(days == ScheduleDays.None ? DigestSchedule.Default.Days : days, at ?? DigestSchedule.Default.At);
        return true;
    }

    /// <summary>A day ("mondays", "mon-fri", "daily") or a time ("9am", "08:30").</summary>
    internal static bool IsScheduleWord(string word)
    {
        var lower = word.Trim().TrimEnd(',').ToLowerInvariant();
        return DayWords.ContainsKey(lower) || DayRange().IsMatch(lower) || TryTime(lower.Replace(".", ":", StringComparison.Ordinal), out _, out _) || TimePattern().IsMatch(lower);
    }

    private static List<string> Words(string? text) =>
        Regex.Split((text ?? string.Empty).ToLowerInvariant().Replace(",", " ", StringComparison.Ordinal).Replace(".", ":", StringComparison.Ordinal), @"\s+")
            .Where(word => word.Length > 0)
            .ToList();

    private static bool TryTime(string word, out TimeOnly time, out string? error)
    {
        time = default;
        error = null;
        if (word is "noon" or "midday")
        {
            time = new TimeOnly(12, 0);
            return true;
        }
        if (word == "midnight")
        {
            time = new TimeOnly(0, 0);
            return true;
        }
        var match = TimePattern().Match(word);
        if (!match.Success) return false;
        var hour = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        var meridiem = match.Groups["ampm"].Value;
        if (meridiem.Length > 0)
        {
            if (hour is < 1 or > 12)
            {
                error = $"\"{word}\" is not a time: with am/pm the hour is 1–12.";
                return false;
            }
            hour = (hour % 12) + (meridiem == "pm" ? 12 : 0);
        }
        if (hour > 23 || minute > 59)
        {
            error = $"\"{word}\" is not a time of day; use 00:00–23:59, or 9am / 4:30pm.";
            return false;
        }
        time = new TimeOnly(hour, minute);
        return true;
    }

    private static ScheduleDays Range(ScheduleDays first, ScheduleDays last)
    {
        int from = int.TrailingZeroCount((int)first), to = int.TrailingZeroCount((int)last);
        var days = ScheduleDays.None;
        for (var i = from; ; i = (i + 1) % 7)
        {
            days |= (ScheduleDays)(1 << i);
            if (i == to) return days;
        }
    }

    private static Dictionary<string, ScheduleDays> BuildDayWords()
    {
        var words = new Dictionary<string, ScheduleDays>(StringComparer.Ordinal)
        {
            ["daily"] = ScheduleDays.Every,
            ["everyday"] = ScheduleDays.Every,
            ["weekdays"] = ScheduleDays.Weekdays,
            ["weekday"] = ScheduleDays.Weekdays,
            ["workdays"] = ScheduleDays.Weekdays,
            ["weekends"] = ScheduleDays.Weekend,
            ["weekend"] = ScheduleDays.Weekend,
            ["weekly"] = ScheduleDays.Monday,
        };
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var name = day.ToString().ToLowerInvariant();
            var flag = DigestSchedule.FlagOf(day);
            words[name] = flag;
            words[name + "s"] = flag;
            words[name[..3]] = flag;
        }
        words["tues"] = ScheduleDays.Tuesday;
        words["weds"] = ScheduleDays.Wednesday;
        words["thur"] = ScheduleDays.Thursday;
        words["thurs"] = ScheduleDays.Thursday;
        return words;
    }

    [GeneratedRegex(@"^(?<h>\d{1,2})(?:[:h](?<m>\d{2}))?h?(?<ampm>am|pm)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^([a-z]+)-([a-z]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DayRange();
}
