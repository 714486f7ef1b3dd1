using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Storage;

namespace GrowthBot.Host.Cli;

/// <summary>
/// <c>growthbot ask "QUESTION" [--json] [--db PATH]</c>: answers a plain-language question through
/// the same parser, answerer and handler the chat platforms use (the command line counts as staff).
/// The store is only opened when the question needs numbers, so "help" or "how is NPS calculated?"
/// work while the host holds the store. <c>--json</c> prints
/// <c>{"understood","query":{"metrics","from","to","compare","by","series"},"answers":[…],"reply"}</c>.
/// </summary>
internal static class AskCommand
{
    public const string Usage = "growthbot ask \"QUESTION\" [--json] [--db PATH]";

    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ssZ";

    public static int Run(CliContext context, IEnumerable<string> words)
    {
        var arguments = CommandArguments.Parse(words, new HashSet<string> { "db" }, new HashSet<string> { "json" });
        var text = string.Join(' ', arguments.Positionals).Trim();
        if (text.Length == 0) throw new UsageException($"Usage: {Usage}\nFor example: growthbot ask \"churn last month by segment\"");

        var engineOptions = context.EngineOptions();
        using var engine = new StoreBackedEngine(() => LiteGrowthStore.OpenExisting(context.StorageFor(arguments)), engineOptions, context.Company().Zone(), context.Time, context.FreshnessOptions());
        var handler = QuestionHandler.Create(engine, context.Accountability(), engineOptions, context.Company(), new AccessPolicy(new AccessOptions()), context.Time, freshness: engine);
        var from = new Requester(ChatPlatform.CommandLine, "cli", null, IsGuest: false);
        var reply = handler.Reply(new IncomingMessage(ChatPlatform.CommandLine, "cli", "cli", null, from, text, context.Time.GetUtcNow()));

        context.Output.WriteLine(arguments.Switch("json") ? Json(reply) : reply.Message.FallbackText);
        return ExitCodes.Ok;
    }

    /// <summary>The documented JSON shape; each answer is the <c>metric --json</c> object plus <c>series</c>.</summary>
    internal static string Json(QuestionReply reply)
    {
        var question = reply.Question;
        var isMetricQuestion = question is { Intent: QuestionIntent.Metrics, Period: not null };
        var query = new JsonObject
        {
            ["metrics"] = new JsonArray([.. question.Metrics.Select(metric => (JsonNode?)JsonValue.Create(MetricCatalog.Get(metric).Name))]),
            ["from"] = isMetricQuestion ? Time(question.Period!.From) : null,
            ["to"] = isMetricQuestion ? Time(question.Period!.To) : null,
            ["compare"] = isMetricQuestion && question.Compare is { } compare ? new JsonObject { ["from"] = Time(compare.From), ["to"] = Time(compare.To) } : null,
            ["by"] = isMetricQuestion && question.By != Breakdown.None ? question.By.ToString().ToLowerInvariant() : null,
            ["series"] = isMetricQuestion && question.Series != SeriesUnit.None ? question.Series.ToString().ToLowerInvariant() : null,
        };
        var answers = new JsonArray();
        foreach (var answer in reply.Answers.Where(answer => answer.Answer is not null))
        {
            var node = JsonNode.Parse(MetricAnswerJson.Write(answer.Answer!))!.AsObject();
            node["series"] = answer.Series is null ? null : new JsonArray([.. answer.Series.Select(step => JsonNode.Parse(MetricAnswerJson.Write(step)))]);
            answers.Add(node);
        }
        var root = new JsonObject
        {
            ["understood"] = question.Understood,
            ["query"] = query,
            ["answers"] = answers,
            ["reply"] = reply.Message.FallbackText,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonValue Time(DateTime utc) => JsonValue.Create(utc.ToString(TimeFormat, CultureInfo.InvariantCulture));

    /// <summary>
    /// The metric engine over the store, opened and indexed on the first question that needs a number
    /// (once, even when the answerer asks for several periods at the same time).
    /// </summary>
    private sealed class StoreBackedEngine(Func<LiteGrowthStore> open, MetricEngineOptions options, TimeZoneInfo zone, TimeProvider time, Core.Freshness.FreshnessOptions freshness)
        : IMetricEngine, Core.Freshness.IDataFreshness, IDisposable
    {
        private readonly Lazy<(LiteGrowthStore Store, MetricEngine Engine)> _loaded = new(() =>
        {
            var store = open();
            var engine = new MetricEngine(options, zone, time);
            engine.Load(store);
            return (store, engine);
        }, LazyThreadSafetyMode.ExecutionAndPublication);

        public EngineStatistics Statistics => _loaded.Value.Engine.Statistics;

        public MetricAnswer Answer(MetricQuery query) => _loaded.Value.Engine.Answer(query);

        public DateTime? LastDataAt(DataSource source) => _loaded.Value.Engine.LastDataAt(source);

        /// <summary>When data last arrived, as the store recorded it (asked only once an answer needs numbers, so the store is open).</summary>
        public IReadOnlyList<Core.Freshness.SourceStatus> Status() =>
            new Core.Freshness.StoredFreshness(new LiteFreshnessStore(_loaded.Value.Store), freshness, time).Status();

        public void Apply(GrowthDataBatch batch) => _loaded.Value.Engine.Apply(batch);

        public void Apply(GrowthDataBatch changed, GrowthDataBatch? replaced) => _loaded.Value.Engine.Apply(changed, replaced);

        public void Dispose()
        {
            if (!_loaded.IsValueCreated) return;
            _loaded.Value.Engine.Dispose();
            _loaded.Value.Store.Dispose();
        }
    }
}
