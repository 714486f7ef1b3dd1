namespace GrowthBot.Core.Questions;

/// <summary>The words the parser knows besides metric names: periods, intents, breakdowns and filler.</summary>
internal static class QuestionWords
{
    /// <summary>Filler that carries no meaning for a metric question; never corrected towards, never "not understood".</summary>
    public static readonly IReadOnlySet<string> Filler = Set(
        "a", "an", "the", "what", "whats", "is", "are", "was", "were", "be", "been", "being", "our", "ours", "my", "we", "us", "your", "you",
        "me", "i", "im", "of", "for", "in", "on", "at", "with", "or", "so", "far", "how", "hows", "much", "many", "did", "do", "does",
        "doing", "done", "has", "have", "had", "it", "its", "that", "thats", "these", "those", "there", "theres", "please", "can", "could",
        "would", "will", "should", "show", "tell", "give", "get", "got", "about", "now", "currently", "right", "looking", "look", "looks",
        "like", "number", "numbers", "value", "values", "metric", "rate", "rates", "score", "scores", "total", "overall", "whole",
        "company", "companys", "hey", "thanks", "thank", "ok", "okay", "bot", "growthbot", "just", "again", "then", "up", "down", "going",
        "performing", "anything", "some", "any", "all", "see", "know", "need", "want", "wondering", "curious", "let", "lets", "check",
        "report", "status", "update", "stats", "statistics", "kpi", "kpis", "figure", "figures", "data", "customer", "customers",
        "st", "nd", "rd", "th", "yes", "no", "not", "sure", "hmm", "um", "lol", "which", "where", "who", "whos", "when", "did",
        "team", "teams", "this", "last", "past", "previous", "prior", "current", "same", "period", "periods", "time", "during", "within",
        "over", "ago", "back", "since", "from", "to", "until", "till", "through", "between", "and", "vs", "by", "per", "across", "each",
        "every", "split", "broken", "break", "breakdown", "as", "well", "also", "too", "instead", "same", "if", "been", "looking", "quick",
        "still", "yet", "more", "less", "higher", "lower", "better", "worse", "than", "good", "bad", "doing", "today", "ratio", "ratios",
        "based", "recent", "recently", "latest", "lately", "pretty", "really", "very", "very", "exactly", "roughly", "about", "around",
        "its", "their", "they", "them", "he", "she", "hi", "hello", "yo", "morning", "afternoon", "evening", "guys", "folks", "team",
        "mate", "buddy", "friend", "quickly", "asap", "fyi", "btw", "oh", "well", "hm", "aha", "great", "cool", "nice");

    /// <summary>Shorthands expanded before anything else.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["lst"] = "last", ["mnth"] = "month", ["mth"] = "month", ["mths"] = "months", ["mo"] = "month", ["mos"] = "months",
        ["mon"] = "month", ["wk"] = "week", ["wks"] = "weeks", ["yr"] = "year", ["yrs"] = "years", ["qtr"] = "quarter",
        ["qtrs"] = "quarters", ["thru"] = "through", ["versus"] = "vs", ["v"] = "vs", ["ur"] = "your", ["u"] = "you",
        ["pls"] = "please", ["plz"] = "please", ["hrs"] = "hours", ["hr"] = "hour", ["prev"] = "previous", ["cmp"] = "compare",
        ["tdy"] = "today", ["yday"] = "yesterday", ["ystd"] = "yesterday", ["yest"] = "yesterday", ["til"] = "until",
    };

    public static readonly IReadOnlyDictionary<string, PeriodUnit> Units = new Dictionary<string, PeriodUnit>(StringComparer.Ordinal)
    {
        ["day"] = PeriodUnit.Day, ["days"] = PeriodUnit.Day,
        ["week"] = PeriodUnit.Week, ["weeks"] = PeriodUnit.Week,
        ["month"] = PeriodUnit.Month, ["months"] = PeriodUnit.Month,
        ["quarter"] = PeriodUnit.Quarter, ["quarters"] = PeriodUnit.Quarter,
        ["year"] = PeriodUnit.Year, ["years"] = PeriodUnit.Year,
        ["half"] = PeriodUnit.Half, ["halves"] = PeriodUnit.Half,
    };

    /// <summary>One-letter units accepted right after a number ("30d", "6m", "12w", "2y").</summary>
    public static readonly IReadOnlyDictionary<string, PeriodUnit> UnitLetters = new Dictionary<string, PeriodUnit>(StringComparer.Ordinal)
    {
        ["d"] = PeriodUnit.Day, ["w"] = PeriodUnit.Week, ["m"] = PeriodUnit.Month, ["q"] = PeriodUnit.Quarter, ["y"] = PeriodUnit.Year,
    };

    public static readonly IReadOnlyDictionary<string, int> Months = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["january"] = 1, ["jan"] = 1, ["february"] = 2, ["feb"] = 2, ["march"] = 3, ["mar"] = 3, ["april"] = 4, ["apr"] = 4,
        ["may"] = 5, ["june"] = 6, ["jun"] = 6, ["july"] = 7, ["jul"] = 7, ["august"] = 8, ["aug"] = 8, ["september"] = 9,
        ["sep"] = 9, ["sept"] = 9, ["october"] = 10, ["oct"] = 10, ["november"] = 11, ["nov"] = 11, ["december"] = 12, ["dec"] = 12,
    };

    public static readonly IReadOnlyDictionary<string, int> NumberWords = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8,
        ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["eighteen"] = 18, ["twenty"] = 20, ["thirty"] = 30,
        ["ninety"] = 90, ["couple"] = 2, ["few"] = 3,
    };

    public static readonly IReadOnlyDictionary<string, int> Ordinals = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["first"] = 1, ["second"] = 2, ["third"] = 3, ["fourth"] = 4, ["1st"] = 1, ["2nd"] = 2, ["3rd"] = 3, ["4th"] = 4,
    };

    /// <summary>Words of the period grammar (besides units, months and numbers).</summary>
    public static readonly IReadOnlySet<string> PeriodWords = Set(
        "today", "yesterday", "this", "current", "last", "past", "previous", "prior", "next", "ytd", "mtd", "qtd", "wtd",
        "date", "since", "from", "to", "until", "till", "through", "between", "ago", "so", "far", "hours", "hour", "fortnight");

    public static readonly IReadOnlySet<string> CompareWords = Set("vs", "compared", "compare", "comparison", "against", "relative", "than");

    public static readonly IReadOnlySet<string> SeriesWords = Set(
        "trend", "trends", "trending", "history", "historical", "historically", "evolution", "evolved", "chart", "graph", "plot",
        "sparkline", "monthly", "weekly", "timeline", "series");

    public static readonly IReadOnlySet<string> SegmentWords = Set("segment", "segments", "segmented", "segmentation", "tier", "tiers", "size");

    public static readonly IReadOnlySet<string> ChannelWords = Set("channel", "channels", "source", "sources");

    public static readonly IReadOnlySet<string> ExplainWords = Set(
        "explain", "explanation", "why", "math", "maths", "working", "workings", "details", "detail", "numerator", "denominator",
        "sample", "basis", "derived", "breakdown");

    public static readonly IReadOnlySet<string> DefinitionWords = Set(
        "calculated", "calculate", "calculation", "calculations", "calculating", "computed", "compute", "computation", "formula",
        "formulas", "definition", "define", "defined", "defines", "mean", "means", "meaning", "measured", "measure", "measures", "work",
        "works", "methodology");

    public static readonly IReadOnlySet<string> OwnerWords = Set(
        "owns", "own", "owner", "owners", "owned", "ownership", "responsible", "responsibility", "accountable", "accountability", "charge");

    public static readonly IReadOnlySet<string> HelpWords = Set(
        "help", "commands", "command", "options", "menu", "metrics", "usage", "examples", "example", "capabilities", "answer", "ask",
        "list", "hi", "hello", "hey");

    /// <summary>Words worth correcting a typo towards: everything meaningful, but not filler.</summary>
    public static IReadOnlySet<string> CorrectionTargets { get; } = BuildTargets();

    /// <summary>Every word the parser knows.</summary>
    public static IReadOnlySet<string> Known { get; } = BuildKnown();

    private static HashSet<string> BuildTargets()
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        targets.UnionWith(MetricSynonyms.Words);
        targets.UnionWith(PeriodWords);
        targets.UnionWith(Units.Keys);
        targets.UnionWith(Months.Keys.Where(month => month.Length > 3));
        targets.UnionWith(NumberWords.Keys);
        targets.UnionWith(Ordinals.Keys.Where(word => char.IsLetter(word[0])));
        targets.UnionWith(CompareWords);
        targets.UnionWith(SeriesWords);
        targets.UnionWith(SegmentWords);
        targets.UnionWith(ChannelWords);
        targets.UnionWith(ExplainWords);
        targets.UnionWith(DefinitionWords);
        targets.UnionWith(OwnerWords);
        targets.UnionWith(HelpWords);
        targets.UnionWith(["acquisition", "marketing", "lead", "quarter", "year", "week", "month", "day", "yoy", "mom", "qoq", "wow", "over"]);
        targets.RemoveWhere(word => word.Length < 3);
        return targets;
    }

    private static HashSet<string> BuildKnown()
    {
        var known = new HashSet<string>(CorrectionTargets, StringComparer.Ordinal);
        known.UnionWith(Filler);
        known.UnionWith(Months.Keys);
        known.UnionWith(Aliases.Keys);
        known.UnionWith(UnitLetters.Keys);
        known.UnionWith(Ordinals.Keys);
        known.UnionWith(["q", "h", "w", "-", "same", "what", "about", "instead", "as", "well", "too"]);
        return known;
    }

    private static HashSet<string> Set(params string[] words) => new(words, StringComparer.Ordinal);
}
