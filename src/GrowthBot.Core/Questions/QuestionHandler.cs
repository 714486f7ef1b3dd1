using GrowthBot.Core.Access;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Text;

namespace GrowthBot.Core.Questions;

/// <summary>
/// Answers metric questions in plain words, from any platform: checks that the sender is staff,
/// reads the question (continuing the sender's previous one in this conversation when it is a
/// follow-up), answers it from the metric engine and remembers it for the next follow-up. Also
/// answers the "Explain this number" and "Show trend" buttons it puts under its answers.
/// The clock is the injected <see cref="TimeProvider"/>; periods are in the company's time zone.
/// </summary>
public sealed class QuestionHandler : IConversationHandler, IActionHandler
{
    private readonly QuestionAnswerer _answerer;
    private readonly IAccessPolicy _access;
    private readonly FollowUpMemory _memory;
    private readonly TimeProvider _time;
    private readonly string _companyName;

    internal QuestionHandler(QuestionAnswerer answerer, IAccessPolicy access, FollowUpMemory memory, TimeProvider time, string companyName)
    {
        _answerer = answerer;
        _access = access;
        _memory = memory;
        _time = time;
        _companyName = companyName;
    }

    /// <summary>Builds the handler from its settings; the host does this through <c>AddGrowthBotCore</c>.</summary>
    public static QuestionHandler Create(
        IMetricEngine engine, Accountability accountability, MetricEngineOptions metrics, CompanyOptions company, IAccessPolicy access, TimeProvider time,
        Func<IEnumerable<string>>? commandHelp = null, Digests.ITrendChartRenderer? charts = null, Freshness.IDataFreshness? freshness = null,
        IQuestionContextStore? questionContexts = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(company);
        var answerer = new QuestionAnswerer(engine, accountability, metrics.Currency, company.Zone(), charts, freshness);
        return new QuestionHandler(answerer, access, new FollowUpMemory(time, shared: questionContexts), time, company.Name) { CommandHelp = commandHelp };
    }

    public Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<ChatMessage?>(Reply(message).Message);
    }

    public bool CanHandle(string actionId) =>
        actionId is QuestionActionCodec.ExplainAction or QuestionActionCodec.TrendAction;

    public Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_access.IsStaff(action.From)) return Task.FromResult<ChatMessage?>(AccessReplies.MetricsRefused(_companyName));
        if (QuestionActionCodec.Decode(action.Value) is not { } question)
        {
            return Task.FromResult<ChatMessage?>(ChatMessage.Plain(
                $"That button no longer works. Ask me again in words, for example {QuestionGuide.Examples}."));
        }
        var reply = _answerer.Answer(string.Empty, question, _time.GetUtcNow(), AnswerCulture.Resolve(action.From.Locale));
        _memory.Remember(new ConversationKey(action.Platform, action.ConversationId, action.From.UserId), question with { Explain = false });
        return Task.FromResult<ChatMessage?>(reply.Message);
    }

    /// <summary>
    /// The help lines of the commands besides questions (surveys, digests), shown under the help
    /// reply. Read when help is asked, so the handler needs no reference to the routes it sits beside.
    /// </summary>
    public Func<IEnumerable<string>>? CommandHelp { get; init; }

    private ChatMessage WithCommands(ChatMessage help)
    {
        var lines = CommandHelp?.Invoke().ToList() ?? [];
        if (lines.Count == 0) return help;
        var commands = "Commands:\n" + string.Join("\n", lines.Select(line => "• " + line));
        return help with { FallbackText = help.FallbackText + "\n" + commands, Blocks = [.. help.Blocks.SkipLast(1), new TextBlock(commands), help.Blocks[^1]] };
    }

    /// <summary>The whole reply, with the parsed question and the numbers (the command line prints them as JSON).</summary>
    public QuestionReply Reply(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_access.IsStaff(message.From))
        {
            var refused = new ParsedQuestion(QuestionIntent.NotUnderstood, [], null, null, Problem: "not staff");
            return new QuestionReply(refused, AccessReplies.MetricsRefused(_companyName), []);
        }
        var key = new ConversationKey(message.Platform, message.ConversationId, message.From.UserId);
        var now = _time.GetUtcNow();
        var question = QuestionParser.Parse(message.Text, now, _answerer.Zone, _memory.Recall(key));
        var reply = _answerer.Answer(message.Text, question, now, AnswerCulture.Resolve(message.From.Locale));
        if (question.Intent == QuestionIntent.Help) reply = reply with { Message = WithCommands(reply.Message) };
        if (question.Understood && question.Metrics.Count is > 0 && question.Metrics.Count < MetricCatalog.All.Count) _memory.Remember(key, question);
        return reply;
    }
}
