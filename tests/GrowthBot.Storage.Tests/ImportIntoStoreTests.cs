using GrowthBot.Core.Import;
using GrowthBot.Core.Ports;

namespace GrowthBot.Storage.Tests;

/// <summary>CSV import (Core) against the real LiteDB store: re-importing a file changes nothing.</summary>
public sealed class ImportIntoStoreTests : IDisposable
{
    private static readonly Dictionary<ImportKind, string> Files = new()
    {
        [ImportKind.Customers] = """
            customer_id,name,segment,acquisition_channel,signed_up_at,activated_at
            c1,Acme Ltd,enterprise,paid-search,2025-01-05T09:30:15Z,2025-01-07
            c2,"Björk, Søn & Co",smb,referral,2025-02-01,
            c3,,smb,organic,2025-03-10T23:59:59+02:00,2025-03-11
            """,
        [ImportKind.Subscriptions] = """
            customer_id,date,mrr
            c1,2025-01-07,499
            c1,2025-02-07,749.50
            c1,2025-03-07T12:00:00Z,0
            c2,2025-02-01,49.99995
            c3,2025-03-11,120
            """,
        [ImportKind.Orders] = """
            order_id,customer_id,ordered_at,amount
            o1,c1,2025-01-08T10:15:00Z,1200.25
            o2,c2,2025-02-03,0.0001
            """,
        [ImportKind.Spend] = """
            date,channel,category,amount
            2025-01-01,paid-search,marketing,10000
            2025-01-01,paid-search,sales,2500.5
            2025-02-01,referral,Onboarding,300
            """,
        [ImportKind.Tickets] = """
            ticket_id,customer_id,opened_at,resolved_at,contacts
            t1,c1,2025-01-10T08:00:00Z,2025-01-10T09:45:30Z,1
            t2,c2,2025-02-14,,0
            """,
        [ImportKind.Responses] = """
            response_id,survey,customer_id,score,comment,responded_at
            r1,nps,c1,10,"Great, fast
            support",2025-01-15T11:00:00Z
            r2,CES,c2,7,,2025-02-16
            r3,csat,c3,1,Slow,2025-03-20
            """,
    };

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ImportReport Import(IGrowthStore store, ImportKind kind, string csv)
    {
        using var reader = new StringReader(csv);
        return new ImportService(store).Import(kind, reader);
    }

    [Fact]
    public void Import_EveryKind_InsertsEveryRow()
    {
        using var store = _temp.Open();

        foreach (var (kind, csv) in Files)
        {
            var report = Import(store, kind, csv);

            Assert.True(report.Succeeded, $"{kind}: {string.Join("; ", report.Errors)}");
            Assert.Equal((report.Rows, 0, 0), (report.Inserted, report.Updated, report.Unchanged));
        }
        var stored = RecordingSink.ReadAll(store);
        Assert.Equal((3, 5, 2, 3, 2, 3), (stored.Customers.Count, stored.Subscriptions.Count, stored.Orders.Count, stored.Spend.Count, stored.Tickets.Count, stored.Responses.Count));
    }

    [Fact]
    public void Import_EveryKindTwice_SecondTimeChangesNothing()
    {
        using var store = _temp.Open();
        foreach (var (kind, csv) in Files) Import(store, kind, csv);
        var before = RecordingSink.ReadAll(store);

        foreach (var (kind, csv) in Files)
        {
            var report = Import(store, kind, csv);

            Assert.True(report.Succeeded, $"{kind}: {string.Join("; ", report.Errors)}");
            Assert.Equal((0, 0, report.Rows), (report.Inserted, report.Updated, report.Unchanged));
        }
        var after = RecordingSink.ReadAll(store);
        Assert.Equal(RecordingSink.Sorted(before.Customers), RecordingSink.Sorted(after.Customers));
        Assert.Equal(RecordingSink.Sorted(before.Subscriptions), RecordingSink.Sorted(after.Subscriptions));
        Assert.Equal(RecordingSink.Sorted(before.Orders), RecordingSink.Sorted(after.Orders));
        Assert.Equal(RecordingSink.Sorted(before.Spend), RecordingSink.Sorted(after.Spend));
        Assert.Equal(RecordingSink.Sorted(before.Tickets), RecordingSink.Sorted(after.Tickets));
        Assert.Equal(RecordingSink.Sorted(before.Responses), RecordingSink.Sorted(after.Responses));
    }

    [Fact]
    public void Import_AfterReopen_SecondTimeChangesNothing()
    {
        using (var store = _temp.Open())
        {
            foreach (var (kind, csv) in Files) Import(store, kind, csv);
        }

        using var reopened = _temp.Open();

        foreach (var (kind, csv) in Files)
        {
            var report = Import(reopened, kind, csv);
            Assert.Equal((0, 0, report.Rows), (report.Inserted, report.Updated, report.Unchanged));
        }
    }

    [Fact]
    public void Import_FileWithOneChangedRow_ReportsOneUpdated()
    {
        using var store = _temp.Open();
        Import(store, ImportKind.Customers, Files[ImportKind.Customers]);
        Import(store, ImportKind.Orders, Files[ImportKind.Orders]);

        var report = Import(store, ImportKind.Orders, Files[ImportKind.Orders].Replace("1200.25", "1300", StringComparison.Ordinal));

        Assert.Equal((0, 1, 1), (report.Inserted, report.Updated, report.Unchanged));
        Assert.Equal(1300m, RecordingSink.ReadAll(store).Orders.Single(o => o.Id == "o1").Amount);
    }

    [Fact]
    public void Import_OrdersForACustomerOnlyDifferingInCase_AreRefused()
    {
        using var store = _temp.Open();
        Import(store, ImportKind.Customers, Files[ImportKind.Customers]);

        var report = Import(store, ImportKind.Orders, Files[ImportKind.Orders].Replace(",c1,", ",C1,", StringComparison.Ordinal));

        Assert.False(report.Succeeded);
        Assert.Contains("customer id 'C1' differs from 'c1', already in the store, only in case", report.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Empty(RecordingSink.ReadAll(store).Orders);
    }

    [Fact]
    public void CustomerIds_AreTheStoredIdsExactly()
    {
        using var store = _temp.Open();
        Import(store, ImportKind.Customers, Files[ImportKind.Customers]);

        var ids = ((IGrowthStore)store).CustomerIds();

        Assert.Equal(RecordingSink.ReadAll(store).Customers.Select(customer => customer.Id).Order(), ids.Order());
        Assert.DoesNotContain("C1", ids);
    }

    [Fact]
    public void Import_FileWithOneBadRow_WritesNothing()
    {
        using var store = _temp.Open();
        var csv = Files[ImportKind.Customers] + "\nc4,Late Ltd,smb,organic,not-a-date,";

        var report = Import(store, ImportKind.Customers, csv);

        Assert.False(report.Succeeded);
        Assert.Equal(5, Assert.Single(report.Errors).Line);
        Assert.Equal((0, 0, 0), (report.Inserted, report.Updated, report.Unchanged));
        Assert.True(store.IsEmpty);
        Assert.Equal(0, RecordingSink.ReadAll(store).Count);
    }

    [Fact]
    public void Import_IdenticalDuplicateRow_StoresOneRow()
    {
        using var store = _temp.Open();
        Import(store, ImportKind.Customers, Files[ImportKind.Customers]);
        var csv = Files[ImportKind.Orders] + "\no1,c1,2025-01-08T10:15:00Z,1200.25";

        var report = Import(store, ImportKind.Orders, csv);

        Assert.True(report.Succeeded);
        Assert.Equal(2, RecordingSink.ReadAll(store).Orders.Count);
    }

    [Fact]
    public void Import_SpendAtTwoMomentsOfOneDay_ParserAndStoreAgreeTheyAreTwoRows()
    {
        using var store = _temp.Open();
        var csv = """
            date,channel,category,amount
            2025-01-01,paid-search,marketing,100
            2025-01-01T12:00:00Z,paid-search,marketing,100
            """;

        var report = Import(store, ImportKind.Spend, csv);

        Assert.True(report.Succeeded);
        Assert.Equal(2, report.Inserted);
        Assert.Equal(2, RecordingSink.ReadAll(store).Spend.Count);
    }

    [Fact]
    public void Import_SpendKeyTwiceWithDifferentAmounts_IsRefusedBeforeTheStore()
    {
        using var store = _temp.Open();
        var csv = """
            date,channel,category,amount
            2025-01-01,Paid-Search,marketing,100
            2025-01-01,paid-search,Marketing,120
            """;

        var report = Import(store, ImportKind.Spend, csv);

        Assert.False(report.Succeeded);
        Assert.Contains(report.Errors, error => error.Line == 3 && error.Reason.Contains("also appears on line 2", StringComparison.Ordinal));
        Assert.Empty(RecordingSink.ReadAll(store).Spend);
    }
}
