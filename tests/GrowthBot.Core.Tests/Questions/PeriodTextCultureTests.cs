using GrowthBot.Core.Questions;
using GrowthBot.Core.Tests.Text;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>Periods in the asker's culture: its date order and month names; month-first cultures keep the short "Nov 1–26".</summary>
public sealed class PeriodTextCultureTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, "Nov 1–26", "Oct 27 – Nov 25", "Nov 30, 2025 – Jan 2, 2026", "Dec 1–26, 2025")]
    [InlineData("en-US", "Nov 1–26", "Oct 27 – Nov 25", "Nov 30, 2025 – Jan 2, 2026", "Dec 1–26, 2025")]
    [InlineData("de-DE", "1. Nov. – 26. Nov.", "27. Okt. – 25. Nov.", "30. Nov. 2025 – 2. Jan. 2026", "1. Dez. – 26. Dez. 2025")]
    [InlineData("fr-FR", "1 nov. – 26 nov.", "27 oct. – 25 nov.", "30 nov. 2025 – 2 janv. 2026", "1 déc. – 26 déc. 2025")]
    [InlineData("ja-JP", "11月1日 – 11月26日", "10月27日 – 11月25日", "2025年11月30日 – 2026年1月2日", "12月1日 – 2025年12月26日")]
    public void Range_InTheCulture(string? locale, string sameMonth, string twoMonths, string twoYears, string lastYear)
    {
        var culture = AnswerCultureTests.Culture(locale);
        Assert.Equal(sameMonth, PeriodText.Range(Utc(2026, 11, 1), Utc(2026, 11, 27), TimeZoneInfo.Utc, Now, culture));
        Assert.Equal(twoMonths, PeriodText.Range(Utc(2026, 10, 27), Utc(2026, 11, 26), TimeZoneInfo.Utc, Now, culture));
        Assert.Equal(twoYears, PeriodText.Range(Utc(2025, 11, 30), Utc(2026, 1, 3), TimeZoneInfo.Utc, Now, culture));
        Assert.Equal(lastYear, PeriodText.Range(Utc(2025, 12, 1), Utc(2025, 12, 27), TimeZoneInfo.Utc, Now, culture));
    }

    [Theory]
    [InlineData(null, "Jun 2026", "week of Nov 16", "Nov 1–26, so far")]
    [InlineData("de-DE", "Jun 2026", "week of 16. Nov.", "1. Nov. – 26. Nov., so far")]
    [InlineData("ja-JP", "2026年6月", "week of 11月16日", "11月1日 – 11月26日, so far")]
    public void Bucket_InTheCulture(string? locale, string month, string week, string partial)
    {
        var culture = AnswerCultureTests.Culture(locale);
        Assert.Equal(month, PeriodText.Bucket(Utc(2026, 6, 1), Utc(2026, 7, 1), SeriesUnit.Month, TimeZoneInfo.Utc, false, culture));
        Assert.Equal(week, PeriodText.Bucket(Utc(2026, 11, 16), Utc(2026, 11, 23), SeriesUnit.Week, TimeZoneInfo.Utc, false, culture));
        Assert.Equal(partial, PeriodText.Bucket(Utc(2026, 11, 1), Utc(2026, 11, 26, 10), SeriesUnit.Month, TimeZoneInfo.Utc, true, culture));
    }

    private static DateTime Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, DateTimeKind.Utc);
}
