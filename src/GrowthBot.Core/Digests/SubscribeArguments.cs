namespace GrowthBot.Core.Digests;

/// <summary>
/// Reads the words after "subscribe": <c>TEAM|METRIC[,METRIC…] [on SCHEDULE] [in ZONE]</c>, e.g.
/// "marketing", "nps, csat on fridays at 4pm", "sales weekdays 8:30 in America/New_York".
/// </summary>
internal sealed record SubscribeArguments(DigestSubject Subject, DigestSchedule Schedule, TimeZoneInfo Zone)
{
    private static readonly HashSet<string> ScheduleStarters = new(StringComparer.OrdinalIgnoreCase) { "on", "at", "every", "each" };

    public static bool TryParse(string text, TimeZoneInfo defaultZone, out SubscribeArguments arguments, out string error)
    {
        arguments = null!;
        var words = (text ?? string.Empty).Replace(",", ", ", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

        var zone = defaultZone;
        var zoneAt = words.FindIndex(word => word.Equals("in", StringComparison.OrdinalIgnoreCase));
        if (zoneAt >= 0)
        {
            if (zoneAt != words.Count - 2)
            {
                error = "Put the time zone last, as one IANA name: \"in Europe/Berlin\".";
                return false;
            }
            if (!DigestWords.TryZone(words[^1], out zone, out var suggestion))
            {
                error = $"I don't know the time zone \"{words[^1]}\".{suggestion} Use an IANA name such as Europe/Berlin or America/New_York.";
                return false;
            }
            words.RemoveRange(zoneAt, 2);
        }

        var scheduleAt = words.FindIndex(word => ScheduleStarters.Contains(word) || StartsSchedule(word));
        var subjectWords = scheduleAt < 0 ? words : words.Take(scheduleAt).ToList();
        if (!DigestSubject.TryParse(subjectWords, out var subject, out error)) return false;
        var scheduleText = scheduleAt < 0 ? string.Empty : string.Join(' ', words.Skip(scheduleAt));
        if (!ScheduleParser.TryParse(scheduleText, out var schedule, out error)) return false;
        arguments = new SubscribeArguments(subject, schedule, zone);
        return true;
    }

    /// <summary>A word that can only begin a schedule: a day, "daily", a time.</summary>
    private static bool StartsSchedule(string word) =>
        !DigestWords.TryMetric(word.TrimEnd(','), out _) && !DigestWords.TryTeam(word.TrimEnd(','), out _) && ScheduleParser.IsScheduleWord(word);
}
