using System.Globalization;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Formulas;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Scores meet revenue: "churn by NPS category last quarter", "NRR of detractors this year",
/// "expansion by CSAT group". Claims a question that names churn, NRR or expansion together with a
/// survey group ("category", "group", "promoters", "detractors"…); the period is read as for any
/// question. Each paying customer at the period's start is in the group of their latest answer
/// before it (<see cref="SurveyCategoryFormulas"/>); the answer gives every group's size and says
/// which are too small to compare. Staff only.
/// </summary>
public sealed class CategorySplitRoute(ISurveyCategorySource source, IAccessPolicy access, CompanyOptions company, TimeProvider time) : IMessageRoute
{
    private static readonly Dictionary<string, SurveyCategory> Named = new(StringComparer.Ordinal)
    {
        ["promoter"] = SurveyCategory.Promoter, ["promoters"] = SurveyCategory.Promoter,
        ["passive"] = SurveyCategory.Passive, ["passives"] = SurveyCategory.Passive,
        ["detractor"] = SurveyCategory.Detractor, ["detractors"] = SurveyCategory.Detractor,
        ["dissatisfied"] = SurveyCategory.Dissatisfied, ["satisfied"] = SurveyCategory.Satisfied,
    };

    private static readonly string[] GroupWords = ["category", "categories", "group", "groups"];

    public IReadOnlyList<string> HelpLines { get; } = ["churn|nrr|expansion by nps|csat|ces category [PERIOD] — revenue split by survey group (\"nrr of detractors this year\")"];

    public bool Claims(IncomingMessage message) => message is not null && Read(message.Text) is not null;

    public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!access.IsStaff(message.From)) return Task.FromResult<ChatMessage?>(AccessReplies.MetricsRefused(company.Name));
        var (metrics, survey, named) = Read(message.Text)!.Value;
        var now = time.GetUtcNow();
        var parsed = QuestionParser.Parse(message.Text, now, company.Zone(), null);
        if (parsed.Problem is { } problem) return Task.FromResult<ChatMessage?>(ChatMessage.Plain(problem));
        var period = parsed.Period!;
        var (members, notAnswered, gap) = source.CategoryMembers(survey, period.From, period.To);
        if (gap is not null)
        {
            return Task.FromResult<ChatMessage?>(ChatMessage.Plain(
                $"I can't split {string.Join(", ", metrics.Select(Title))} by survey group for {period.Label}: {gap.Describe(company.Zone())}, " +
                "so who kept paying to the end is not known yet. Import newer billing data, or ask about an earlier period."));
        }
        var groups = SurveyCategoryFormulas.Split(members, Groups(survey));
        return Task.FromResult<ChatMessage?>(Answer(metrics, survey, named, period, groups, notAnswered, company.Zone()));
    }

    /// <summary>The revenue metrics, survey and named groups a question asks for; null when it is not such a question.</summary>
    internal static (IReadOnlyList<MetricId> Metrics, SurveyKind Survey, IReadOnlyList<SurveyCategory> Named)? Read(string? text)
    {
        var words = QuestionTokenizer.Tokenize(text);
        // "alert churn of detractors above 5%" sets an alert and "digest churn" subscribes: commands, whichever route is asked first.
        if (words.Count > 0 && CommandVerbs.Contains(words[0])) return null;
        var metrics = new List<MetricId>();
        if (words.Contains("churn")) metrics.Add(MetricId.CustomerChurn);
        if (words.Contains("nrr") || (words.Contains("net") && words.Contains("retention"))) metrics.Add(MetricId.Nrr);
        if (words.Contains("expansion")) metrics.Add(MetricId.ExpansionRevenue);
        if (metrics.Count == 0) return null;
        var named = words.Where(Named.ContainsKey).Select(word => Named[word]).Distinct().ToList();
        var survey = words.Contains("csat") || named.Any(category => category is SurveyCategory.Satisfied or SurveyCategory.Dissatisfied) ? SurveyKind.Csat
            : words.Contains("ces") ? SurveyKind.Ces
            : SurveyKind.Nps;
        var surveyNamed = words.Contains("nps") || words.Contains("csat") || words.Contains("ces");
        if (named.Count == 0 && !(surveyNamed && GroupWords.Any(words.Contains))) return null;
        return (metrics, survey, named);
    }

    private static readonly HashSet<string> CommandVerbs = new(StringComparer.Ordinal) { "alert", "alerts", "digest", "survey" };

    internal static IReadOnlyList<SurveyCategory> Groups(SurveyKind survey) => survey switch
    {
        SurveyKind.Nps => SurveyCategoryFormulas.GroupsOfNps,
        SurveyKind.Csat => SurveyCategoryFormulas.GroupsOfCsat,
        _ => SurveyCategoryFormulas.GroupsOfCes,
    };

    private static ChatMessage Answer(IReadOnlyList<MetricId> metrics, SurveyKind survey, IReadOnlyList<SurveyCategory> named, QuestionPeriod period,
        IReadOnlyList<CategoryRevenue> groups, int notAnswered, TimeZoneInfo zone)
    {
        var titles = string.Join(", ", metrics.Select(Title));
        var start = LocalCalendar.ToLocal(period.From, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var survey3 = survey.ToString().ToUpperInvariant();
        var shown = named.Count == 0 ? groups : groups.Where(group => named.Contains(group.Category)).ToList();
        var lines = shown.Select(group => $"• {Name(group.Category)}: " + string.Join(", ", metrics.Select(metric => $"{Title(metric)} {Value(metric, group)}")) +
            $" ({group.Customers.ToString("N0", CultureInfo.InvariantCulture)} {(group.Customers == 1 ? "customer" : "customers")} paying at the start)");
        var blocks = new List<ChatBlock>
        {
            new HeaderBlock($"{titles} by {survey3} group, {period.Label}"),
            new TextBlock(string.Join("\n", lines)),
        };
        var small = groups.Where(group => group.TooSmall).ToList();
        if (small.Count > 0)
        {
            blocks.Add(new TextBlock($"Too small to compare (under {SurveyCategoryFormulas.MinimumGroupSize} customers): " +
                string.Join(", ", small.Select(group => $"{Name(group.Category)} ({group.Customers})")) + "."));
        }
        if (named.Count > 0)
        {
            blocks.Add(new ContextBlock("Group sizes: " + string.Join(", ", groups.Select(group => $"{Name(group.Category)} {group.Customers}")) + "."));
        }
        blocks.Add(new ContextBlock(
            $"Each customer paying on {start} is in the group of their latest {survey3} answer before then; " +
            $"{NotAnswered(notAnswered)} and {(notAnswered == 1 ? "is" : "are")} left out. " +
            "Churn: share of the group paying nothing at the end. NRR: the group's MRR at the end ÷ at the start. Expansion: the increases ÷ MRR at the start."));
        return QuestionGuide.Message([.. blocks]);
    }

    /// <summary>"3 paying customers had not answered", singular for one.</summary>
    internal static string NotAnswered(int count) =>
        $"{count.ToString("N0", CultureInfo.InvariantCulture)} paying {(count == 1 ? "customer" : "customers")} had not answered";

    internal static string Title(MetricId metric) => metric switch
    {
        MetricId.CustomerChurn => "Churn",
        MetricId.Nrr => "NRR",
        _ => "Expansion",
    };

    internal static string Value(MetricId metric, CategoryRevenue group)
    {
        var value = metric switch
        {
            MetricId.CustomerChurn => group.CustomerChurnRate,
            MetricId.Nrr => group.Nrr,
            _ => group.ExpansionRate,
        };
        return value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "no data";
    }

    internal static string Name(SurveyCategory category) => category switch
    {
        SurveyCategory.Promoter => "Promoters",
        SurveyCategory.Passive => "Passives",
        SurveyCategory.Detractor => "Detractors",
        SurveyCategory.Satisfied => "Satisfied",
        SurveyCategory.NeutralCsat or SurveyCategory.NeutralCes => "Neutral",
        SurveyCategory.Dissatisfied => "Dissatisfied",
        SurveyCategory.Easy => "Easy",
        _ => "Hard",
    };
}
