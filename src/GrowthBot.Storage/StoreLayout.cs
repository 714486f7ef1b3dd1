using System.Diagnostics;
using LiteDB;
using Microsoft.Extensions.Logging;

namespace GrowthBot.Storage;

/// <summary>How long converting a store to the current layout took, and what it packed.</summary>
public sealed record StoreLayoutMigration(int FromLayout, int ToLayout, long Rows, long CustomerDocuments, TimeSpan Elapsed);

/// <summary>
/// The store's layout version, kept in the meta collection. Layout 1 (no version stored) kept
/// orders, tickets and survey responses only as one document per row; layout 2 also keeps them
/// packed per customer (<see cref="PackedRows"/>), which is what a start without an engine
/// snapshot reads. A layout-1 store is converted once when it is opened, in one LiteDB
/// transaction that also stores the new version: a crash or a failure half-way leaves the store
/// exactly as it was (LiteDB discards the uncommitted log at the next open), and the next open
/// converts it again. The per-row documents are untouched by the conversion. A store whose layout
/// is newer than this version knows is refused before anything is written.
/// </summary>
internal static partial class StoreLayout
{
    /// <summary>The layout this version writes.</summary>
    public const int Current = 2;

    private const string LayoutKey = "layout";

    /// <summary>
    /// Checks the layout of an open store and converts a layout-1 store; null when there was
    /// nothing to convert. <paramref name="converted"/> is called after each kind of row is packed,
    /// inside the transaction (tests interrupt the conversion there).
    /// </summary>
    public static StoreLayoutMigration? Prepare(LiteDatabase database, string path, ILogger logger, Action<PackedRows>? converted = null)
    {
        var meta = database.GetCollection(LiteGrowthStore.MetaCollection);
        var stored = meta.FindById(LayoutKey) is { } version ? version["value"].AsInt32 : 1;
        if (stored > Current) throw new StoreOpenException(path, StoreProblem.NewerLayout);
        if (stored == Current) return null;

        var clock = Stopwatch.StartNew();
        var empty = PackedRows.All.All(kind => database.GetCollection(kind.RowsCollection).Count() == 0);
        if (!empty) LogConverting(logger, path, stored, Current);
        long rows = 0, customers = 0;
        database.BeginTrans();
        try
        {
            foreach (var kind in PackedRows.All)
            {
                var packed = database.GetCollection(kind.PackedCollection);
                packed.DeleteAll();
                // One kind at a time, built in memory: the rows are read once, in id order, not per customer.
                var byCustomer = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
                foreach (var row in database.GetCollection(kind.RowsCollection).FindAll())
                {
                    var customerId = PackedRows.CustomerOf(row);
                    if (!byCustomer.TryGetValue(customerId, out var document)) byCustomer.Add(customerId, document = kind.Empty(customerId));
                    kind.Append(document, row);
                    rows++;
                }
                RefuseCustomersDifferingInCase(kind, byCustomer.Keys, path);
                packed.InsertBulk(byCustomer.Values);
                customers += byCustomer.Count;
                converted?.Invoke(kind);
            }
            meta.Upsert(new BsonDocument { ["_id"] = LayoutKey, ["value"] = Current });
            database.Commit();
        }
        catch
        {
            database.Rollback();
            throw;
        }
        var migration = new StoreLayoutMigration(stored, Current, rows, customers, clock.Elapsed);
        if (!empty) LogConverted(logger, path, Current, (long)migration.Elapsed.TotalMilliseconds, rows, customers);
        return migration;
    }

    /// <summary>
    /// LiteDB compares ids ignoring case, so rows of customers "Acme" and "acme" cannot have a
    /// packed document each. The store refuses such customers; a file that has them anyway is
    /// left as it was, with a message naming them.
    /// </summary>
    private static void RefuseCustomersDifferingInCase(PackedRows kind, IEnumerable<string> customers, string path)
    {
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var customer in customers)
        {
            if (seen.TryAdd(customer, customer)) continue;
            throw new StoreOpenException(
                $"The store '{path}' could not be converted to layout {Current}: it has {kind.What}s of customers '{seen[customer]}' and '{customer}', " +
                "whose ids differ only in case. It was left untouched: give one of them another id with an older version, or restore a backup.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Converting the store {Path} from layout {From} to layout {To}: orders, tickets and survey responses packed per customer (once; a crash meanwhile leaves the store as it was)")]
    private static partial void LogConverting(ILogger logger, string path, int from, int to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Converted the store {Path} to layout {To} in {Milliseconds} ms: {Rows} rows packed into {Documents} customer documents")]
    private static partial void LogConverted(ILogger logger, string path, int to, long milliseconds, long rows, long documents);
}
