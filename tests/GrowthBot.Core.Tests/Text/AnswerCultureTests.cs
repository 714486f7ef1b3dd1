using System.Globalization;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Tests.Text;

/// <summary>Which locale strings become a culture, and how each culture writes numbers, amounts, percentages and dates.</summary>
public sealed class AnswerCultureTests
{
    private static readonly DateTime December5 = new(2026, 12, 5, 14, 30, 0);

    [Theory]
    [InlineData("de-DE", "de-DE")]
    [InlineData("fr-FR", "fr-FR")]
    [InlineData("ja-JP", "ja-JP")]
    [InlineData("en-US", "en-US")]
    [InlineData(" de-de ", "de-DE")]
    public void Resolve_KnownLocale_IsThatCulture(string locale, string name) =>
        Assert.Equal(name, AnswerCulture.Resolve(locale)?.Name);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("xx-YY")]
    [InlineData("not a locale")]
    [InlineData("de_DE@euro;drop table")]
    [InlineData("en-US-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Resolve_MissingOrUnknownLocale_FallsBackToGrowthBotsOwnStyleWithoutError(string? locale) =>
        Assert.Null(AnswerCulture.Resolve(locale));

    [Theory]
    [InlineData(null, "1,234.56")]
    [InlineData("en-US", "1,234.56")]
    [InlineData("de-DE", "1.234,56")]
    [InlineData("fr-FR", "1{group}234,56")]
    [InlineData("ja-JP", "1,234.56")]
    public void Number_UsesTheCulturesSeparators(string? locale, string expected) =>
        Assert.Equal(Expected(expected, locale), CultureText.Number(1234.56m, "#,0.00", Culture(locale)));

    [Theory]
    [InlineData(null, "3.1%")]
    [InlineData("en-US", "3.1%")]
    [InlineData("de-DE", "3,1 %")]
    [InlineData("fr-FR", "3,1 %")]
    [InlineData("ja-JP", "3.1%")]
    public void Percent_PutsTheSignWhereTheCultureDoes(string? locale, string expected)
    {
        var culture = Culture(locale);
        Assert.Equal(expected, CultureText.Percent(CultureText.Number(3.1m, "0.##", culture), culture));
    }

    [Theory]
    [InlineData(null, "USD 1,234.56")]
    [InlineData("en-US", "USD 1,234.56")]
    [InlineData("de-DE", "1.234,56 USD")]
    [InlineData("fr-FR", "1{group}234,56 USD")]
    [InlineData("ja-JP", "USD 1,234.56")]
    public void Money_KeepsTheCurrencyCodeOnTheCulturesSide(string? locale, string expected)
    {
        var culture = Culture(locale);
        Assert.Equal(Expected(expected, locale), CultureText.Money(CultureText.Number(1234.56m, "#,0.00", culture), "USD", culture));
    }

    [Theory]
    [InlineData(null, "Dec 5, 2026", "Dec 5", "Dec 2026")]
    [InlineData("en-US", "Dec 5, 2026", "Dec 5", "Dec 2026")]
    // A month without a day is in the standalone form, as .NET (ICU) writes "MMM": "Dez 2026" beside "5. Dez. 2026".
    [InlineData("de-DE", "5. Dez. 2026", "5. Dez.", "Dez 2026")]
    [InlineData("fr-FR", "5 déc. 2026", "5 déc.", "déc. 2026")]
    [InlineData("ja-JP", "2026年12月5日", "12月5日", "2026年12月")]
    public void Dates_FollowTheCulturesPatternAndMonthNames(string? locale, string date, string monthDay, string monthYear)
    {
        var culture = Culture(locale);
        Assert.Equal(date, CultureText.Date(December5, culture));
        Assert.Equal(monthDay, CultureText.MonthDay(December5, culture));
        Assert.Equal(monthYear, CultureText.MonthYear(December5, culture));
        Assert.Equal("14:30", CultureText.Time(December5, culture));
    }

    internal static CultureInfo? Culture(string? locale) => locale is null ? null : CultureInfo.GetCultureInfo(locale);

    /// <summary>fr-FR groups digits with a (narrow) no-break space; which one is ICU's data, not something to hard-code.</summary>
    internal static string Expected(string text, string? locale) =>
        text.Replace("{group}", Culture(locale)?.NumberFormat.NumberGroupSeparator ?? ",", StringComparison.Ordinal);
}
