using GrowthBot.Core.Access;
using GrowthBot.Core.Alerts;
using GrowthBot.Core.Conversations;
using GrowthBot.Core.Data;
using GrowthBot.Core.Digests;
using GrowthBot.Core.Import;
using GrowthBot.Core.Metrics;
using GrowthBot.Core.Ports;
using GrowthBot.Core.Questions;
using GrowthBot.Core.Tests.Digests;
using GrowthBot.Core.Tests.Surveys;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GrowthBot.Core.Tests.Alerts;

/// <summary>
/// Alerts wired as the host wires them: the real metric engine and import service over an
/// in-memory store that, like LiteDB, reports only rows that are new or different; a fake
/// platform; a <see cref="FakeTimeProvider"/>. Helpers type commands and press buttons.
/// </summary>
internal sealed class AlertWorld : IDisposable
{
    public const string Channel = "C0SET";

    public AlertWorld(AlertOptions? options = null)
    {
        Options = options ?? new AlertOptions();
        Engine = new MetricEngine(new MetricEngineOptions(), TimeZoneInfo.Utc, Time);
        Importer = new ImportService(Data, Engine);
        Book = new AlertBook(Store);
        Monitor = new AlertMonitor(Book, Engine, Importer, Subscriptions, new Accountability(), [Slack], Options, TimeZoneInfo.Utc, "USD", Time, Log, [Audience]);
        var company = new CompanyOptions { Name = "Acme", TimeZone = "UTC" };
        Commands = new AlertCommands(Book, Monitor, Subscriptions, new Accountability(), Access, Options, company, "USD", Time, [Audience]);
        Buttons = new AlertActionHandler(Book, Monitor, Access, company, "USD", Time);
        Questions = QuestionHandler.Create(Engine, new Accountability(), new MetricEngineOptions(), company, Access, Time);
        var customers = new GrowthDataBatch();
        for (var i = 0; i < 300; i++)
        {
            customers.Customers.Add(new Customer($"c{i}", $"Customer {i}", i % 3 == 0 ? "Enterprise" : "SMB", i % 2 == 0 ? "organic" : "paid", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), null));
        }
        Importer.Write(customers);
        // As the host's hosted service does, but without its background loop: each test runs the checks itself.
        Importer.Written += (_, changed) => Monitor.DataChanged(changed);
    }

    /// <summary>Monday 7 December 2026, 10:00 UTC.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    public AlertOptions Options { get; }
    public ListLogger<AlertMonitor> Log { get; } = new();
    public DataStore Data { get; } = new();
    public MetricEngine Engine { get; }
    public ImportService Importer { get; }
    public MemoryAlertStore Store { get; } = new();
    public AlertBook Book { get; }
    public FakeSubscriptionStore Subscriptions { get; } = new();
    public FakeChatSender Slack { get; } = new();
    public FakeAudience Audience { get; } = new();
    public StaffOnly Access { get; } = new();
    public AlertMonitor Monitor { get; }
    public AlertCommands Commands { get; }
    public AlertActionHandler Buttons { get; }
    public QuestionHandler Questions { get; }

    private int _responses;

    public static Requester Staff { get; } = new(ChatPlatform.Slack, "U0ANA", "T0HOME", false, "Ana");

    /// <summary>Writes <paramref name="count"/> answers of one score, one per customer from <paramref name="firstCustomer"/>, <paramref name="daysAgo"/> days before now.</summary>
    public GrowthDataBatch Answers(SurveyKind kind, int score, int count, double daysAgo = 1, int firstCustomer = 0)
    {
        var batch = new GrowthDataBatch();
        var at = Time.GetUtcNow().UtcDateTime.AddDays(-daysAgo);
        for (var i = 0; i < count; i++) batch.Responses.Add(new SurveyResponse($"r{++_responses}", kind, $"c{(firstCustomer + i) % 300}", score, null, at));
        Importer.Write(batch);
        return batch;
    }

    public async Task<string> Type(string text, Requester? from = null)
    {
        var message = new IncomingMessage(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), Channel, null, from ?? Staff, text, Time.GetUtcNow());
        Assert.True(Commands.Claims(message));
        var reply = await Commands.HandleAsync(message, CancellationToken.None);
        return reply!.FallbackText;
    }

    /// <summary>Sets an alert and returns its id.</summary>
    public async Task<string> SetAlert(string text)
    {
        var reply = await Type(text);
        Assert.StartsWith("Alert ", reply, StringComparison.Ordinal);
        return reply.Split(' ')[1];
    }

    public Task<ChatMessage?> Press(ChatAction button, Requester? from = null)
    {
        var action = new IncomingAction(ChatPlatform.Slack, Guid.NewGuid().ToString("N"), Channel, null, from ?? Staff, button.ActionId, button.Value, Time.GetUtcNow());
        return button.ActionId.StartsWith("alert.", StringComparison.Ordinal)
            ? Buttons.HandleActionAsync(action, CancellationToken.None)
            : Questions.HandleActionAsync(action, CancellationToken.None);
    }

    public Task<AlertCheckReport> Check() => Monitor.CheckAsync(CancellationToken.None);

    public Alert Alert(string id) => Book.Find(id)!;

    public void Dispose()
    {
        Monitor.Dispose();
        Engine.Dispose();
    }

    public static IReadOnlyList<ChatAction> ButtonsOf(ChatMessage message) =>
        message.Blocks.OfType<ActionsBlock>().SelectMany(block => block.Actions).ToList();
}

/// <summary>Staff are users of the home Slack workspace T0HOME; everyone else is not.</summary>
internal sealed class StaffOnly : IAccessPolicy
{
    public bool IsStaff(Requester requester) => requester.OrganisationId == "T0HOME" && !requester.IsGuest;
}

/// <summary>An in-memory <see cref="IAlertStore"/> that, like LiteDB, keeps copies (records are immutable anyway).</summary>
internal sealed class MemoryAlertStore : IAlertStore
{
    private readonly Dictionary<string, Alert> _alerts = new(StringComparer.Ordinal);

    public int Saves { get; private set; }

    public IReadOnlyList<Alert> All()
    {
        lock (_alerts) return [.. _alerts.Values.OrderBy(alert => alert.Rule.CreatedAt)];
    }

    public Alert? Find(string id)
    {
        lock (_alerts) return _alerts.GetValueOrDefault(id);
    }

    public void Save(Alert alert)
    {
        lock (_alerts)
        {
            Saves++;
            _alerts[alert.Id] = alert with { Version = (_alerts.GetValueOrDefault(alert.Id)?.Version ?? 0) + 1 };
        }
    }

    public bool TryReplace(Alert alert)
    {
        lock (_alerts)
        {
            if (_alerts.GetValueOrDefault(alert.Id) is not { } stored || stored.Version != alert.Version) return false;
            Saves++;
            _alerts[alert.Id] = alert with { Version = alert.Version + 1 };
            return true;
        }
    }

    public bool Remove(string id)
    {
        lock (_alerts) return _alerts.Remove(id);
    }
}

/// <summary>An in-memory <see cref="IGrowthStore"/> that, like LiteDB, upserts by value and reports only the rows that are new.</summary>
internal sealed class DataStore : IGrowthStore
{
    private readonly HashSet<object> _rows = [];

    public bool IsEmpty => _rows.Count == 0;

    public long Generation { get; private set; }

    public StoreWriteResult Write(GrowthDataBatch batch, IProgress<int>? rowsWritten = null, StoreChanges? changes = null)
    {
        Generation++;
        int inserted = 0, unchanged = 0;
        void Take<T>(List<T> rows, List<T>? changed) where T : notnull
        {
            foreach (var row in rows)
            {
                if (_rows.Add(row)) { inserted++; changed?.Add(row); }
                else unchanged++;
            }
        }
        Take(batch.Customers, changes?.Changed.Customers);
        Take(batch.Subscriptions, changes?.Changed.Subscriptions);
        Take(batch.Orders, changes?.Changed.Orders);
        Take(batch.Spend, changes?.Changed.Spend);
        Take(batch.Tickets, changes?.Changed.Tickets);
        Take(batch.Responses, changes?.Changed.Responses);
        return new StoreWriteResult(inserted, 0, unchanged);
    }

    public void ReadAll(IGrowthDataSink sink) => throw new NotSupportedException();
}
