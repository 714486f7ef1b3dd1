using LiteDB;

namespace GrowthBot.Storage;

/// <summary>
/// An online backup of the open store: every collection, with its indexes, copied document by
/// document into a new LiteDB file, while the host keeps running. The open file itself cannot be
/// copied byte for byte (recent commits live in LiteDB's log until a checkpoint, and a copy taken
/// during a write can be torn); reading through LiteDB gives only committed documents. Growth data
/// writes (imports) wait while the copy runs, so each import is either wholly in it or not at all.
/// </summary>
public static class StoreBackup
{
    private const int BatchSize = 5_000;

    /// <summary>
    /// Writes a copy of <paramref name="store"/> to <paramref name="destination"/> (which must not
    /// exist), readable only by its owner (it holds the platforms' tokens); returns the documents copied.
    /// A failed backup leaves no file behind.
    /// </summary>
    public static long WriteTo(LiteGrowthStore store, string destination)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        var target = Path.GetFullPath(destination);
        if (File.Exists(target)) throw new IOException($"{target} already exists");
        var partial = target + ".partial";
        File.Delete(partial);
        try
        {
            CreateOwnerOnly(partial);
            long documents;
            using (var copy = new LiteDatabase(new ConnectionString { Filename = partial, Connection = ConnectionType.Direct }) { UtcDate = true })
            {
                documents = store.UnderWriteGate(() => CopyAll(store.Database, copy));
                copy.Checkpoint();
            }
            // LiteDB leaves its log file only while open; nothing but the data file remains.
            File.Move(partial, target);
            return documents;
        }
        catch
        {
            File.Delete(partial);
            File.Delete(Path.ChangeExtension(partial, null) + "-log" + Path.GetExtension(partial));
            throw;
        }
    }

    private static long CopyAll(LiteDatabase source, LiteDatabase copy)
    {
        long documents = 0;
        var indexes = source.GetCollection("$indexes").FindAll().ToList();
        foreach (var name in source.GetCollectionNames().OrderBy(name => name, StringComparer.Ordinal))
        {
            var target = copy.GetCollection(name);
            foreach (var index in indexes.Where(index => index["collection"].AsString == name && index["name"].AsString != "_id"))
            {
                target.EnsureIndex(index["name"].AsString, BsonExpression.Create(index["expression"].AsString), index["unique"].AsBoolean);
            }
            var batch = new List<BsonDocument>(BatchSize);
            foreach (var document in source.GetCollection(name).FindAll())
            {
                batch.Add(document);
                if (batch.Count < BatchSize) continue;
                documents += target.InsertBulk(batch, BatchSize);
                batch.Clear();
            }
            if (batch.Count > 0) documents += target.InsertBulk(batch, BatchSize);
        }
        return documents;
    }

    private static void CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (new FileStream(path, options))
        {
            // Empty: LiteDB writes into it, keeping its mode.
        }
    }
}
