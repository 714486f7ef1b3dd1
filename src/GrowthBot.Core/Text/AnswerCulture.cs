using System.Globalization;

namespace GrowthBot.Core.Text;

/// <summary>
/// The culture an answer's numbers and dates are written in, from the locale the asker's client sent
/// (Teams' activity <c>locale</c>, "de-DE"): a German user reads "1.234,56" and "5. Dez. 2026". The words
/// stay English. Null stands for GrowthBot's own style, the one every answer had before locales were
/// read, and what Slack (which sends no locale) still gets: "1,234.56", "3.1%", "USD 1,234.56", "Dec 5, 2026".
/// </summary>
public static class AnswerCulture
{
    /// <summary>
    /// The culture named by <paramref name="locale"/>, or null for a missing, unknown or malformed name
    /// (and when the runtime has no culture data): a locale GrowthBot cannot read falls back to its own style, never to an error.
    /// </summary>
    public static CultureInfo? Resolve(string? locale)
    {
        // BCP 47 tags are short; anything longer is not a locale a client sent.
        if (string.IsNullOrWhiteSpace(locale) || locale.Length > 64) return null;
        try
        {
            // Only cultures the runtime really has data for: ICU would otherwise make up an empty one for "xx-YY".
            var culture = CultureInfo.GetCultureInfo(locale.Trim(), predefinedOnly: true);
            return culture.Name.Length == 0 ? null : culture;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The culture's name for storing with a record ("de-DE"), null for GrowthBot's own style.</summary>
    public static string? NameOf(CultureInfo? culture) => culture is null || culture.Name.Length == 0 ? null : culture.Name;
}
