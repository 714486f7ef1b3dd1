using GrowthBot.Core.Metrics;

namespace GrowthBot.Core.Tests.Metrics;

public sealed class PeriodsTests
{
    [Theory]
    [InlineData("2025-03-01", "2025-04-01", "2025-02-01", "2025-03-01")] // a month: the month before, whatever its length
    [InlineData("2025-04-01", "2025-07-01", "2025-01-01", "2025-04-01")] // Q2 → Q1
    [InlineData("2025-01-01", "2026-01-01", "2024-01-01", "2025-01-01")] // a year
    [InlineData("2025-11-01", "2025-11-26T10:00:00", "2025-10-01", "2025-10-26T10:00:00")] // month to date → same days last month
    [InlineData("2025-03-01", "2025-03-31T12:00:00", "2025-02-01", "2025-02-28T12:00:00")] // clamped to the shorter month
    [InlineData("2025-03-01", "2025-05-15", "2024-12-01", "2025-02-15")] // touches three months → three back
    [InlineData("2025-10-01", "2025-11-26T10:00:00", "2025-08-01", "2025-09-26T10:00:00")] // "since October": the two months before
    [InlineData("2025-07-01", "2025-07-20", "2025-06-01", "2025-06-20")] // month to date
    [InlineData("2025-03-10", "2025-03-17", "2025-03-03", "2025-03-10")] // a week: the week before
    [InlineData("2025-03-10T06:00:00", "2025-03-10T18:00:00", "2025-03-09T18:00:00", "2025-03-10T06:00:00")]
    public void Previous_IsTheComparablePeriodBefore(string from, string to, string expectedFrom, string expectedTo)
    {
        var (previousFrom, previousTo) = Periods.Previous(Utc(from), Utc(to));

        Assert.Equal(Utc(expectedFrom), previousFrom);
        Assert.Equal(Utc(expectedTo), previousTo);
    }

    [Theory]
    [InlineData("2025-02-28T23:00:00", "2025-03-31T22:00:00", "2025-01-31T23:00:00", "2025-02-28T23:00:00")] // March in Berlin → Berlin's February
    [InlineData("2025-03-31T22:00:00", "2025-06-30T22:00:00", "2024-12-31T23:00:00", "2025-03-31T22:00:00")] // Q2 → Q1, across the clock change
    [InlineData("2025-10-31T23:00:00", "2025-11-26T10:00:00", "2025-09-30T22:00:00", "2025-10-26T10:00:00")] // November so far → Oct 1 – Oct 26 11:00 Berlin
    [InlineData("2025-03-23T23:00:00", "2025-03-30T22:00:00", "2025-03-16T23:00:00", "2025-03-23T23:00:00")] // the week with the clock change → the week before
    public void Previous_InTheCompanyZone_MovesBackOnItsCalendar(string from, string to, string expectedFrom, string expectedTo)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        var (previousFrom, previousTo) = Periods.Previous(Utc(from), Utc(to), berlin);

        Assert.Equal(Utc(expectedFrom), previousFrom);
        Assert.Equal(Utc(expectedTo), previousTo);
    }

    [Fact]
    public void Answer_ComparePrevious_InANonUtcZone_ComparesWithThePreviousLocalMonth()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        using var engine = new MetricEngine(new MetricEngineOptions(), berlin);

        var answer = engine.Answer(new MetricQuery(MetricId.Mrr, Utc("2025-02-28T23:00:00"), Utc("2025-03-31T22:00:00"), ComparePrevious: true));

        Assert.Equal(Utc("2025-01-31T23:00:00"), answer.Previous!.From);
        Assert.Equal(Utc("2025-02-28T23:00:00"), answer.Previous.To);
    }

    private static DateTime Utc(string text) =>
        DateTime.SpecifyKind(DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
