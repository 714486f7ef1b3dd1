using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Formulas;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Questions;

/// <summary>The small parts of the question feature: words, periods as text, buttons, memory, noise, settings.</summary>
public sealed class QuestionPartsTests
{
    [Theory]
    [InlineData("What's our CHURN?!", "whats our churn")]
    [InlineData("year-to-date 🚀📈", "year to date")]
    [InlineData("LTV:CAC — 2025-01-01–2025-02-15", "ltv cac - 2025-01-01 - 2025-02-15")]
    [InlineData("last 30d, q3'25", "last 30 d q3 2025")]
    [InlineData("NPS (H1) w45 3rd", "nps h1 w45 3 rd")]
    [InlineData("café  net-revenue-churn", "café net revenue churn")]
    [InlineData("churn :chart_with_upwards_trend: :+1:", "churn")]
    public void Tokenize_LowersSplitsAndDropsPunctuation(string text, string words) =>
        Assert.Equal(words, string.Join(' ', QuestionTokenizer.Tokenize(text)));

    [Fact]
    public void Tokenize_AVeryLongQuestion_IsCut() =>
        Assert.True(QuestionTokenizer.Tokenize(string.Concat(Enumerable.Repeat("churn ", 10_000))).Count <= QuestionTokenizer.MaxLength / 2);

    [Theory]
    [InlineData("chrun", "churn")]
    [InlineData("retension", "retention")]
    [InlineData("quater", "quarter")]
    [InlineData("febuary", "february")]
    [InlineData("nsp", "nps")]
    [InlineData("npss", "nps")]
    [InlineData("wk", "week")]
    [InlineData("lastmonth", "last month")]
    [InlineData("most", "most")] // not turned into "cost": short words keep their first letter
    [InlineData("vibes", "vibes")]
    [InlineData("the", "the")]
    public void Correct_FixesTyposTowardsKnownWordsOnly(string word, string corrected) =>
        Assert.Equal(corrected, string.Join(' ', WordCorrector.Correct([word])));

    [Theory]
    [InlineData("2025-10-31T23:00:00Z", "2025-11-26T10:00:00Z", "Nov 1–26")]
    [InlineData("2025-10-26T23:00:00Z", "2025-11-25T23:00:00Z", "Oct 27 – Nov 25")]
    [InlineData("2025-02-28T23:00:00Z", "2025-03-31T22:00:00Z", "Mar 1–31")]
    [InlineData("2024-12-14T23:00:00Z", "2025-01-10T23:00:00Z", "Dec 15, 2024 – Jan 10, 2025")]
    [InlineData("2024-02-29T23:00:00Z", "2024-03-31T22:00:00Z", "Mar 1–31, 2024")]
    [InlineData("2025-11-24T23:00:00Z", "2025-11-25T23:00:00Z", "Nov 25")]
    [InlineData("2025-11-25T10:00:00Z", "2025-11-26T10:00:00Z", "Nov 25, 11:00 – Nov 26, 11:00")]
    public void Range_IsWrittenInclusivelyInTheCompanysZone(string from, string to, string text) =>
        Assert.Equal(text, PeriodText.Range(Utc(from), Utc(to), ParserTable.Berlin, ParserTable.Now.UtcDateTime));

    [Fact]
    public void Describe_PutsTheNameBeforeTheRange() =>
        Assert.Equal("this month so far, Nov 1–26",
            PeriodText.Describe(new QuestionPeriod(Utc("2025-10-31T23:00:00Z"), ParserTable.Now.UtcDateTime, "this month so far", true), ParserTable.Berlin, ParserTable.Now.UtcDateTime));

    [Theory]
    [InlineData("2025-06-30T22:00:00Z", "2025-09-30T22:00:00Z", "last quarter", "last quarter (Q3 2025), Jul 1 – Sep 30")]
    [InlineData("2025-09-30T22:00:00Z", null, "this quarter so far", "this quarter so far (Q4 2025), Oct 1 – Nov 26")]
    [InlineData("2024-12-31T23:00:00Z", "2025-03-31T22:00:00Z", "3 quarters ago", "3 quarters ago (Q1 2025), Jan 1 – Mar 31")]
    [InlineData("2025-06-30T22:00:00Z", "2025-09-30T22:00:00Z", "Q3 2025", "Q3 2025, Jul 1 – Sep 30")]
    public void Describe_AQuarterNamedRelatively_GetsItsNameAndYear(string from, string? to, string label, string expected) =>
        Assert.Equal(expected, PeriodText.Describe(new QuestionPeriod(Utc(from), to is null ? ParserTable.Now.UtcDateTime : Utc(to), label, to is null),
            ParserTable.Berlin, ParserTable.Now.UtcDateTime));

    [Fact]
    public void SeriesBuckets_SplitAtMonthsAndMarkTheLastOneSoFar()
    {
        var period = new QuestionPeriod(Utc("2025-08-14T22:00:00Z"), ParserTable.Now.UtcDateTime, string.Empty, true);

        var buckets = SeriesBuckets.Split(period, SeriesUnit.Month, ParserTable.Berlin, out var truncated);

        Assert.False(truncated);
        Assert.Equal(["from Aug 15", "Sep 2025", "Oct 2025", "Nov 1–26, so far"], buckets.Select(bucket => bucket.Label));
        Assert.Equal([false, false, false, true], buckets.Select(bucket => bucket.Partial));
        Assert.Equal(period.From, buckets[0].From);
        Assert.Equal(Utc("2025-08-31T22:00:00Z"), buckets[0].To);
        Assert.Equal(buckets[0].To, buckets[1].From);
        Assert.Equal(period.To, buckets[^1].To);
    }

    [Fact]
    public void SeriesBuckets_SplitAtIsoWeeksStartingMonday()
    {
        var period = new QuestionPeriod(Utc("2025-10-31T23:00:00Z"), Utc("2025-11-16T23:00:00Z"), string.Empty);

        var buckets = SeriesBuckets.Split(period, SeriesUnit.Week, ParserTable.Berlin, out _);

        Assert.Equal(["week of Nov 1", "week of Nov 3", "week of Nov 10"], buckets.Select(bucket => bucket.Label));
    }

    [Fact]
    public void SeriesBuckets_TooManyMonths_KeepsTheLatest()
    {
        var period = new QuestionPeriod(Utc("2019-12-31T23:00:00Z"), ParserTable.Now.UtcDateTime, string.Empty, true);

        var buckets = SeriesBuckets.Split(period, SeriesUnit.Month, ParserTable.Berlin, out var truncated);

        Assert.True(truncated);
        Assert.Equal(SeriesBuckets.MaxMonths, buckets.Count);
        Assert.Equal("Nov 1–26, so far", buckets[^1].Label);
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, "▁▅█")]
    [InlineData(new[] { 5.0, 5.0 }, "▅▅")]
    [InlineData(new double[0], "")]
    public void Sparkline_ScalesBetweenTheLowestAndHighest(double[] values, string line) =>
        Assert.Equal(line, Sparkline.Draw(values.Select(value => (decimal?)value).ToList()));

    [Fact]
    public void Sparkline_MarksMissingValues() => Assert.Equal("▁·█", Sparkline.Draw([1m, null, 2m]));

    [Fact]
    public void Codec_RoundTripsAQuestion()
    {
        var question = QuestionParser.Parse("churn and NPS by channel last quarter vs Q1", ParserTable.Now, ParserTable.Berlin, null) with { Explain = true };

        var decoded = QuestionActionCodec.Decode(QuestionActionCodec.Encode(question))!;

        Assert.Equal(question.Metrics, decoded.Metrics);
        Assert.Equal(question.Period, decoded.Period);
        Assert.Equal(question.Compare!.From, decoded.Compare!.From);
        Assert.Equal(question.Compare.To, decoded.Compare.To);
        Assert.Equal(Breakdown.Channel, decoded.By);
        Assert.True(decoded.Explain);
    }

    [Fact]
    public void Codec_EveryMetricAtOnce_StaysUnder2000Characters()
    {
        var question = QuestionParser.Parse("churn by segment", ParserTable.Now, ParserTable.Berlin, null)
            with { Metrics = [.. MetricCatalog.All.Select(metric => metric.Id)] };

        Assert.True(QuestionActionCodec.Encode(question).Length < 2000);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"m\":[\"nope\"],\"f\":\"2025-10-01T00:00:00Z\",\"t\":\"2025-11-01T00:00:00Z\"}")]
    [InlineData("{\"m\":[\"nps\"],\"f\":\"2025-11-01T00:00:00Z\",\"t\":\"2025-10-01T00:00:00Z\"}")]
    [InlineData("{\"m\":[\"nps\"],\"f\":\"2025-10-01T00:00:00Z\",\"t\":\"2025-11-01T00:00:00Z\",\"b\":\"region\"}")]
    [InlineData("{\"m\":\"nps\"}")]
    public void Codec_AValueThatDoesNotDecode_GivesNull(string? value) => Assert.Null(QuestionActionCodec.Decode(value));

    [Fact]
    public void Memory_ForgetsAfterItsLifetime()
    {
        var time = new FakeTimeProvider(ParserTable.Now);
        var memory = new FollowUpMemory(time, TimeSpan.FromMinutes(10));
        var key = new ConversationKey(ChatPlatform.Teams, "C1", "U1");
        var question = QuestionParser.Parse("NPS", ParserTable.Now, ParserTable.Berlin, null);

        memory.Remember(key, question);
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Same(question, memory.Recall(key));
        Assert.Null(memory.Recall(key with { UserId = "U2" }));
        Assert.Null(memory.Recall(key with { Platform = ChatPlatform.Slack }));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(memory.Recall(key));
        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public void Memory_SharedStoreUnreachable_ForgetsInsteadOfFailing()
    {
        var time = new FakeTimeProvider(ParserTable.Now);
        var memory = new FollowUpMemory(time, shared: new UnreachableFollowUps());
        var key = new ConversationKey(ChatPlatform.Slack, "C1", "U1");

        memory.Remember(key, QuestionParser.Parse("NPS", ParserTable.Now, ParserTable.Berlin, null));

        Assert.Null(memory.Recall(key));
    }

    /// <summary>A shared follow-up store whose database is down, as the PostgreSQL one reports it.</summary>
    private sealed class UnreachableFollowUps : IQuestionContextStore
    {
        public ParsedQuestion? Recall(ChatPlatform platform, string conversationId, string userId, DateTimeOffset now) =>
            throw new Ports.StoreUnavailableException("the server cannot be reached", null);

        public void Remember(ChatPlatform platform, string conversationId, string userId, ParsedQuestion question, DateTimeOffset now, DateTimeOffset expires) =>
            throw new Ports.StoreUnavailableException("the server cannot be reached", null);
    }

    [Fact]
    public void Noise_CesMarginIsTheLargestPossible()
    {
        // Mean 4 on 1–7 from 36 answers: the variance is at most (4−1)(7−4) = 9, so the margin is at most 1.96·3/6.
        var margin = SurveyNoise.MarginOf(MetricCatalog.Get(MetricId.Ces), new MetricResult(4m, 144, 36, 36))!.Value;

        Assert.Equal(0.98m, decimal.Round(margin, 2));
    }

    [Fact]
    public void Noise_NotASurveyScore_HasNoMargin() =>
        Assert.Null(SurveyNoise.MarginOf(MetricCatalog.Get(MetricId.CustomerChurn), new MetricResult(2m, 2, 100, 100)));

    [Fact]
    public void Noise_NoData_HasNoMargin() =>
        Assert.Null(SurveyNoise.MarginOf(MetricCatalog.Get(MetricId.Nps), MetricResult.Undefined()));

    [Theory]
    [InlineData("UTC", true)]
    [InlineData("Europe/Berlin", true)]
    [InlineData("America/New_York", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    public void CompanyTimeZone_MustBeKnown(string zone, bool valid) =>
        Assert.Equal(valid, new CompanyOptionsValidator().Validate(null, new CompanyOptions { TimeZone = zone }).Succeeded);

    [Fact]
    public void CompanyDefaults_AreUnnamedInUtc()
    {
        var options = new CompanyOptions();

        Assert.False(options.IsNamed);
        Assert.Equal(TimeZoneInfo.Utc.BaseUtcOffset, options.Zone().BaseUtcOffset);
    }

    private static DateTime Utc(string text) =>
        DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
}
