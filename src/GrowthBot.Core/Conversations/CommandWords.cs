namespace GrowthBot.Core.Conversations;

/// <summary>Reads the command word a message starts with ("Subscribe marketing" → "subscribe", "marketing").</summary>
public static class CommandWords
{
    /// <summary>
    /// True when <paramref name="text"/> starts with <paramref name="verb"/> as a whole word (case
    /// ignored, a leading "/" or "!" allowed); <paramref name="arguments"/> is the rest, trimmed.
    /// </summary>
    public static bool StartsWith(string? text, string verb, out string arguments)
    {
        ArgumentNullException.ThrowIfNull(verb);
        arguments = string.Empty;
        var trimmed = (text ?? string.Empty).TrimStart().TrimStart('/', '!');
        if (!trimmed.StartsWith(verb, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = trimmed[verb.Length..];
        if (rest.Length > 0 && !char.IsWhiteSpace(rest[0])) return false;
        arguments = rest.Trim();
        return true;
    }

    /// <summary>Whether <paramref name="text"/> starts with the verb, ignoring the arguments.</summary>
    public static bool StartsWith(string? text, string verb) => StartsWith(text, verb, out _);
}
