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
/// is newer than this version knows is refused before anything is written. A store converted and
/// then written by an older version again (which updates only the per-row documents) is packed
/// again: the layout records the generation its packed copies are current at.
/// </summary>
internal static partial class StoreLayout
{
    /// <summary>The layout this version writes.</summary>
    public const int Current = 2;

    private const string LayoutKey = "layout";
    private const string GenerationField = "generation";

    /// <summary>
    /// Checks the layout of an open store and converts a layout-1 store; null when there was
    /// nothing to convert. <paramref name="converted"/> is called after each kind of row is packed,
    /// inside the transaction (tests interrupt the conversion there).
    /// </summary>
    public static StoreLayoutMigration? Prepare(LiteDatabase database, string path, ILogger logger, Action<PackedRows>? converted = null)
    {
        var meta = database.GetCollection(LiteGrowthStore.MetaCollection);
        var version = meta.FindById(LayoutKey);
        var stored = version is null ? 1 : version["value"].AsInt32;
        if (stored > Current) throw new StoreOpenException(path, StoreProblem.NewerLayout);
        var generation = meta.FindById(LiteGrowthStore.GenerationKey) is { } known ? known["value"].AsInt64 : 0;
        if (stored == Current && version!.TryGetValue(GenerationField, out var packedAt) && packedAt.AsInt64 == generation) return null;

        var clock = Stopwatch.StartNew();
        var empty = PackedRows.All.All(kind => database.GetCollection(kind.RowsCollection).Count() == 0);
        if (!empty && stored == Current) LogPackingAgain(logger, path);
        else if (!empty) LogConverting(logger, path, stored, Current);
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
            Stamp(meta, generation);
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
    /// Stores the layout with the generation its packed copies are current at. Every write that
    /// changes the generation stamps it in the same transaction; a version before layout 2 changes
    /// the generation (and the per-row documents) without it, so the next open packs again.
    /// </summary>
    public static void Stamp(ILiteCollection<BsonDocument> meta, long generation) =>
        meta.Upsert(new BsonDocument { ["_id"] = LayoutKey, ["value"] = Current, [GenerationField] = generation });

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store {Path} was written by a version before layout 2 since it was converted; packing its orders, tickets and survey responses per customer again")]
    private static partial void LogPackingAgain(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Converted the store {Path} to layout {To} in {Milliseconds} ms: {Rows} rows packed into {Documents} customer documents")]
    private static partial void LogConverted(ILogger logger, string path, int to, long milliseconds, long rows, long documents);
}
