using System.Globalization;
using System.Text;
using GrowthBot.Core.Data;
using GrowthBot.Core.Ports;
using GrowthBot.Formulas;
using GrowthBot.Host.Cli;
using GrowthBot.Host.Tests.Cli;
using GrowthBot.Storage;

namespace GrowthBot.Host.Tests.Hosting;

/// <summary>
/// kill -9 of the host while it writes a file sent by <c>growthbot import</c>: after the restart the
/// store holds all of the file or none of it, never a part.
/// </summary>
public sealed class ImportCrashTests : IDisposable
{
    private const int Rows = 300_000;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempStore _store = new();

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task KillNineWhileWriting_TheStoreHoldsAllOrNothing()
    {
        var file = Path.Combine(_store.Folder, "customers.csv");
        await using (var writer = new StreamWriter(file, append: false, Encoding.UTF8))
        {
            await writer.WriteLineAsync("customer_id,name,segment,acquisition_channel,signed_up_at,activated_at");
            for (var i = 0; i < Rows; i++) await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"C-{i:D7},Company {i},SMB,organic,2025-01-05,"));
        }

        int exitCode;
        using (var host = HostProcess.Start(_store.DbPath, "Production", "--urls", "http://127.0.0.1:0"))
        {
            Assert.True(host.WaitForOutput("reach the host through", Limit), host.Output);
            var import = Task.Run(() => CliRunner.Run("import", "customers", file, "--db", _store.DbPath));

            Assert.True(host.WaitForOutput("writing 300000 rows in one transaction", Limit), host.Output);
            host.KillHard();
            (exitCode, _, _) = await import;
        }

        var stored = CountCustomers();
        Assert.True(stored is 0 or Rows, $"{stored} of {Rows} rows survived the kill");
        // With the host gone the command line writes the store itself, and the file lands whole.
        Assert.Equal(0, CliRunner.Run("import", "customers", file, "--db", _store.DbPath).ExitCode);
        Assert.Equal(Rows, CountCustomers());
        Assert.True(exitCode is ExitCodes.HostUnavailable or ExitCodes.Ok);
    }

    private int CountCustomers()
    {
        using var store = new LiteGrowthStore(new StorageOptions { Path = _store.DbPath });
        var sink = new CountingSink();
        store.ReadAll(sink);
        return sink.Customers;
    }

    private sealed class CountingSink : IGrowthDataSink
    {
        public int Customers { get; private set; }

        public void Add(Customer customer) => Customers++;

        public void Add(SubscriptionChange change) { }

        public void Add(Order order) { }

        public void Add(SpendEntry spend) { }

        public void Add(Ticket ticket) { }

        public void Add(SurveyResponse response) { }
    }
}
