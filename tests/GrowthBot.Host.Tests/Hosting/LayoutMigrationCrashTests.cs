using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Storage;
using LiteDB;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// A store written by a version before the packed layout (orders, tickets and survey responses as
/// one document per row, no layout version) is converted when the host opens it. kill -9 of the
/// host while it converts loses nothing: the next open reads every row, converted whole.
/// </summary>
public sealed class LayoutMigrationCrashTests : IDisposable
{
    private const int Customers = 2_000;
    private const int Orders = 120_000;
    private const int Tickets = 40_000;
    private const int Responses = 40_000;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public void KillNineWhileConverting_TheNextOpenReadsEveryRow()
    {
        WriteLayoutOneStore(_store.DbPath);

        using (var host = HostProcess.Start(_store.DbPath, "Production", "--urls", "http://127.0.0.1:0"))
        {
            Assert.True(host.WaitForOutput("Converting the store", Limit), host.Output);
            host.KillHard();
        }

        using var store = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        var sink = new TotalsSink();
        store.ReadAll(sink);
        Assert.Equal((Orders, Tickets, Responses), (sink.Orders, sink.Tickets, sink.Responses));
        Assert.Equal(Enumerable.Range(0, Orders).Sum(i => (decimal)(i % 100)), sink.OrderAmounts);
        Assert.Equal(Enumerable.Range(0, Responses).Sum(i => i % 11), sink.Scores);
    }

    [Fact]
    public void Start_OverALayoutOneStore_ConvertsIt_LogsItsTime_AndAnswersFromIt()
    {
        WriteLayoutOneStore(_store.DbPath);

        using (var host = HostProcess.Start(_store.DbPath, "Production", "--urls", "http://127.0.0.1:0"))
        {
            Assert.True(host.WaitForOutput("Metric engine ready", Limit), host.Output);
            Assert.Matches($@"Converted the store .* to layout 2 in \d+ ms: {Orders + Tickets + Responses} rows packed into {3 * Customers} customer documents", host.Output);
            Assert.Contains($"{Responses} survey responses", host.Output, StringComparison.Ordinal);
            host.SendSigterm();
            host.WaitForExit(Limit);
        }

        using var again = HostProcess.Start(_store.DbPath, "Production", "--urls", "http://127.0.0.1:0");
        Assert.True(again.WaitForOutput("Metric engine ready", Limit), again.Output);
        Assert.DoesNotContain("Converting the store", again.Output, StringComparison.Ordinal);
    }

    /// <summary>The file exactly as the version before the packed layout wrote it.</summary>
    private static void WriteLayoutOneStore(string path)
    {
        using var database = new LiteDatabase(new ConnectionString { Filename = path }) { UtcDate = true };
        database.GetCollection("customers").InsertBulk(Enumerable.Range(0, Customers).Select(i => new BsonDocument
        {
            ["_id"] = Customer(i), ["name"] = $"Company {i}", ["segment"] = "smb", ["channel"] = "organic",
            ["signed_up_at"] = Start, ["activated_at"] = BsonValue.Null,
        }));
        database.GetCollection("orders").InsertBulk(Enumerable.Range(0, Orders).Select(i => new BsonDocument
        {
            ["_id"] = $"O-{i:D7}", ["customer"] = Customer(i), ["at"] = Start.AddMinutes(i), ["amount"] = (decimal)(i % 100),
        }));
        database.GetCollection("tickets").InsertBulk(Enumerable.Range(0, Tickets).Select(i => new BsonDocument
        {
            ["_id"] = $"T-{i:D7}", ["customer"] = Customer(i), ["opened_at"] = Start.AddMinutes(i),
            ["resolved_at"] = i % 3 == 0 ? BsonValue.Null : new BsonValue(Start.AddMinutes(i + 30)), ["contacts"] = 1 + i % 3,
        }));
        database.GetCollection("responses").InsertBulk(Enumerable.Range(0, Responses).Select(i => new BsonDocument
        {
            ["_id"] = $"R-{i:D7}", ["survey"] = "nps", ["customer"] = Customer(i), ["score"] = i % 11,
            ["comment"] = i % 2 == 0 ? BsonValue.Null : new BsonValue($"comment {i}"), ["at"] = Start.AddMinutes(i),
        }));
    }

    private static string Customer(int i) => $"C-{i % Customers:D5}";

    private sealed class TotalsSink : IGrowthDataSink
    {
        public int Orders { get; private set; }
        public int Tickets { get; private set; }
        public int Responses { get; private set; }
        public decimal OrderAmounts { get; private set; }
        public int Scores { get; private set; }

        public void Add(Customer customer) { }

        public void Add(SubscriptionChange change) { }

        public void Add(Order order)
        {
            Orders++;
            OrderAmounts += order.Amount;
        }

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) => Tickets++;

        public void Add(SurveyResponse response)
        {
            Responses++;
            Scores += response.Score;
        }
    }
}
