using GrowthBot.Core.Data;
using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;
using static GrowthBot.Core.Tests.Import.ImportFixtures;

namespace GrowthBot.Core.Tests.Import;

/// <summary>Import parses the whole file, then writes all of it or nothing, then shows it to the engine.</summary>
public sealed class ImportServiceTests
{
    private readonly RecordingGrowthStore _store = new();
    private readonly RecordingMetricEngine _engine = new();

    private ImportService Service => new(_store, _engine);

    private static StringReader Csv(string csv) => new(csv);

    private static StreamReader FixtureFile(ImportKind kind) => new(PathOf(kind));

    [Fact]
    public void Import_FileWithOneBadRow_WritesNothingAndAppliesNothing()
    {
        var csv = WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,5", "o2,c1,2025-01-02,-5", "o3,c1,2025-01-03,7");

        var report = Service.Import(ImportKind.Orders, Csv(csv));

        Assert.Empty(_store.Written);
        Assert.Empty(_engine.Applied);
        Assert.False(report.Succeeded);
        Assert.Equal(3, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public void Import_FileWithOneBadRow_ReportsNothingWrittenAndEveryRowRead()
    {
        _store.Result = new StoreWriteResult(9, 9, 9);
        var csv = WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,5", "o2,c1,2025-01-02,-5", "o3,c1,2025-01-03,7");

        var report = Service.Import(ImportKind.Orders, Csv(csv));

        Assert.Equal(new ImportReport(ImportKind.Orders, 3, 0, 0, 0, report.Errors), report);
    }

    [Fact]
    public void Import_RowsForCustomersThatDoNotExist_AreRefusedByLineAndNothingIsWritten()
    {
        var csv = WithHeader(ImportKind.Subscriptions, "c1,2025-01-01,10", "ghost,2025-01-01,99", "c2,2025-01-01,10", "ACME,2025-02-01,5");

        var report = Service.Import(ImportKind.Subscriptions, Csv(csv));

        Assert.False(report.Succeeded);
        Assert.Empty(_store.Written);
        Assert.Empty(_engine.Applied);
        Assert.Equal([3L, 5L], report.Errors.Select(error => error.Line));
        Assert.Contains("customer ghost does not exist; import customers first", report.Errors[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_CustomersInTheSameCommand_AreKnownToTheOtherFiles()
    {
        var customers = WithHeader(ImportKind.Customers, "c9,Umbrella,SMB,organic,2025-01-01,");
        var orders = WithHeader(ImportKind.Orders, "o9,c9,2025-01-02,5");

        var reports = Service.Import([new ImportFile(ImportKind.Orders, Csv(orders)), new ImportFile(ImportKind.Customers, Csv(customers))]);

        Assert.All(reports, report => Assert.True(report.Succeeded));
        Assert.Equal(2, _store.Written.Count);
        Assert.Single(_store.Written[0].Customers);
        Assert.Single(_store.Written[1].Orders);
    }

    [Fact]
    public void Import_SpendAndCustomers_NeedNoCustomerCheck()
    {
        _store.StoredCustomers.Clear();

        var report = Service.Import(ImportKind.Spend, FixtureFile(ImportKind.Spend));

        Assert.True(report.Succeeded);
    }

    [Fact]
    public void Import_BadHeader_WritesNothingAndAppliesNothing()
    {
        var report = Service.Import(ImportKind.Customers, Csv("id,name\nc1,Acme\n"));

        Assert.Empty(_store.Written);
        Assert.Empty(_engine.Applied);
        Assert.Equal(1, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public void Import_EmptyFile_WritesNothingAndAppliesNothing()
    {
        var report = Service.Import(ImportKind.Spend, Csv(""));

        Assert.Empty(_store.Written);
        Assert.Empty(_engine.Applied);
        Assert.False(report.Succeeded);
    }

    [Theory]
    [InlineData(ImportKind.Customers)]
    [InlineData(ImportKind.Subscriptions)]
    [InlineData(ImportKind.Orders)]
    [InlineData(ImportKind.Spend)]
    [InlineData(ImportKind.Tickets)]
    [InlineData(ImportKind.Responses)]
    public void Import_GoodFile_IsWrittenOnceAndAppliedOnce(ImportKind kind)
    {
        using var file = FixtureFile(kind);

        var report = Service.Import(kind, file);

        Assert.True(report.Succeeded, Describe(report.Errors));
        var written = Assert.Single(_store.Written);
        AssertSameRows(written, Assert.Single(_engine.Applied));
        Assert.Equal(report.Rows, written.Count);
    }

    [Fact]
    public void Import_GoodFile_WritesEveryParsedRow()
    {
        using var file = FixtureFile(ImportKind.Tickets);
        var expected = ParseFile(ImportKind.Tickets).Batch;

        Service.Import(ImportKind.Tickets, file);

        Assert.Equal(expected.Tickets, Assert.Single(_store.Written).Tickets);
    }

    [Fact]
    public void Import_GoodFile_WritesBeforeItApplies()
    {
        var journal = new List<string>();
        var service = new ImportService(new RecordingGrowthStore(journal), new RecordingMetricEngine(journal));

        service.Import(ImportKind.Subscriptions, Csv(WithHeader(ImportKind.Subscriptions, "c1,2025-01-01,10")));

        Assert.Equal(["store.Write", "engine.Apply"], journal);
    }

    [Fact]
    public void Import_GoodFile_TakesTheCountsFromTheStore()
    {
        _store.Result = new StoreWriteResult(Inserted: 1, Updated: 2, Unchanged: 3);
        using var file = FixtureFile(ImportKind.Subscriptions);

        var report = Service.Import(ImportKind.Subscriptions, file);

        Assert.Equal(ImportKind.Subscriptions, report.Kind);
        Assert.Equal(5, report.Rows);
        Assert.Equal((1, 2, 3), (report.Inserted, report.Updated, report.Unchanged));
        Assert.Empty(report.Errors);
        Assert.True(report.Succeeded);
    }

    [Fact]
    public void Import_StoreFails_AppliesNothingAndLetsTheFailureThrough()
    {
        _store.Failure = new IOException("disk full");
        var csv = WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,5");

        var thrown = Assert.Throws<IOException>(() => Service.Import(ImportKind.Orders, Csv(csv)));

        Assert.Same(_store.Failure, thrown);
        Assert.Empty(_engine.Applied);
    }

    [Fact]
    public void Import_WithoutAnEngine_StillWrites()
    {
        var service = new ImportService(_store);

        var report = service.Import(ImportKind.Orders, Csv(WithHeader(ImportKind.Orders, "o1,c1,2025-01-01,5")));

        Assert.True(report.Succeeded);
        Assert.Single(_store.Written);
    }

    [Fact]
    public void Import_HeaderOnlyFile_SucceedsWritingAnEmptyBatch()
    {
        var report = Service.Import(ImportKind.Orders, Csv(WithHeader(ImportKind.Orders)));

        Assert.True(report.Succeeded);
        Assert.Equal(0, report.Rows);
        Assert.Equal(0, Assert.Single(_store.Written).Count);
    }

    [Fact]
    public void Import_WithProgress_ReportsReadingThenWritingThenIndexing()
    {
        _store.ProgressToReport = [2, 4];
        var progress = new RecordingProgress<ImportProgress>();
        using var file = FixtureFile(ImportKind.Tickets);

        Service.Import(ImportKind.Tickets, file, progress);

        Assert.Equal(
            new ImportProgress[]
            {
                new("reading", 4, 4),
                new("writing", 2, 4),
                new("writing", 4, 4),
                new("indexing", 4, 4),
            },
            progress.Reports);
    }

    [Fact]
    public void Write_Batch_WritesAndAppliesTheSameBatchAndReturnsTheStoreResult()
    {
        _store.Result = new StoreWriteResult(2, 0, 0);
        var batch = new GrowthDataBatch();
        batch.Orders.Add(new Order("o1", "c1", At(1, 1), 5m));
        batch.Orders.Add(new Order("o2", "c1", At(1, 2), 6m));

        var result = Service.Write(batch);

        Assert.Equal(new StoreWriteResult(2, 0, 0), result);
        Assert.Same(batch, Assert.Single(_store.Written));
        AssertSameRows(batch, Assert.Single(_engine.Applied));
    }

    /// <summary>The engine gets the rows the store reported as changed: here, all of them.</summary>
    private static void AssertSameRows(GrowthDataBatch expected, GrowthDataBatch actual)
    {
        Assert.Equal(expected.Customers, actual.Customers);
        Assert.Equal(expected.Subscriptions, actual.Subscriptions);
        Assert.Equal(expected.Orders, actual.Orders);
        Assert.Equal(expected.Spend, actual.Spend);
        Assert.Equal(expected.Tickets, actual.Tickets);
        Assert.Equal(expected.Responses, actual.Responses);
    }
}
