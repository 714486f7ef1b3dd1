using System.Xml.Linq;
using GrowthBot.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace GrowthBot.Host.Hosting;

/// <summary>
/// Data Protection's key repository on the PostgreSQL store (<see cref="PostgresKeyRing"/>). Opening it
/// copies a folder key ring the database does not hold yet: hosts that ran on PostgreSQL before the
/// keys moved into the database kept them in the shared <c>Storage__Path.keys</c> folder, and the
/// tokens they encrypted must stay readable.
/// </summary>
internal sealed partial class DatabaseKeyRing(PostgresKeyRing rows) : IXmlRepository
{
    public static DatabaseKeyRing Open(PostgresDatabase database, string legacyFolder, ILoggerFactory loggers)
    {
        var rows = new PostgresKeyRing(database);
        var copied = CopyFolder(rows, legacyFolder);
        if (copied > 0)
        {
            var logger = loggers.CreateLogger<DatabaseKeyRing>();
            LogCopiedFolder(logger, copied, legacyFolder);
        }
        return new DatabaseKeyRing(rows);
    }

    /// <summary>Adds each <c>*.xml</c> element of a folder key ring that the database lacks; returns how many were added.</summary>
    public static int CopyFolder(PostgresKeyRing rows, string folder)
    {
        if (!System.IO.Directory.Exists(folder)) return 0;
        var added = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, "*.xml").Order(StringComparer.Ordinal))
        {
            // The folder repository names each file after the element's friendly name; the same name keeps the two in step.
            if (rows.TryAdd(Path.GetFileNameWithoutExtension(file), XElement.Load(file).ToString(SaveOptions.DisableFormatting))) added++;
        }
        return added;
    }

    public IReadOnlyCollection<XElement> GetAllElements() => rows.ReadAll().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) => rows.TryAdd(friendlyName, element.ToString(SaveOptions.DisableFormatting));

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied {Count} Data Protection key ring elements from {Folder} into the PostgreSQL store; every host now reads them from the database")]
    private static partial void LogCopiedFolder(ILogger logger, int count, string folder);
}
