using System.Text;

namespace GrowthBot.Storage;

/// <summary>The store's file on disk: where it really is, whether it is a LiteDB file, and removing it.</summary>
internal static class StoreFile
{
    // LiteDB 5 writes this text at byte 32 of every data file's header page (HeaderPage.HEADER_INFO).
    private static readonly byte[] HeaderInfo = Encoding.UTF8.GetBytes("** This is a LiteDB file **");
    private const int HeaderInfoOffset = 32;

    /// <summary>
    /// The absolute path of the file, following a symbolic link to its final target, so the lock file
    /// lies beside the real file (two names for one file share one lock) and LiteDB's log file beside it.
    /// </summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (info.LinkTarget is null) return full;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? full : Path.GetFullPath(target.FullName);
    }

    /// <summary>Refuses a non-empty file that does not carry LiteDB's header (LiteDB would overwrite it).</summary>
    public static void ThrowIfNotLiteDb(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0) return;
        var header = new byte[HeaderInfoOffset + HeaderInfo.Length];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        if (read < header.Length || !header.AsSpan(HeaderInfoOffset).SequenceEqual(HeaderInfo))
        {
            throw new StoreOpenException(path, StoreProblem.Damaged, new InvalidDataException("it has no LiteDB header"));
        }
    }

    /// <summary>The inbox's own file beside the store's (<c>name-inbox.ext</c>).</summary>
    public static string InboxPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path) + "-inbox" + Path.GetExtension(path));

    /// <summary>Removes the data file, the inbox's file and LiteDB's log files beside them (<c>name-log.ext</c>).</summary>
    public static void Delete(string path)
    {
        DeleteWithLog(path);
        DeleteWithLog(InboxPathFor(path));
    }

    private static void DeleteWithLog(string path)
    {
        File.Delete(path);
        var folder = Path.GetDirectoryName(path) ?? ".";
        File.Delete(Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path)));
    }
}
