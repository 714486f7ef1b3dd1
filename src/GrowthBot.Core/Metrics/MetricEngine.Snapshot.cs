using System.Text;
using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Metrics;

/// <summary>How reading an engine snapshot went, when it was not damaged.</summary>
public enum SnapshotReadResult
{
    /// <summary>The engine now holds the snapshot's state.</summary>
    Loaded,

    /// <summary>A sound snapshot, taken at another store generation: not current, engine untouched.</summary>
    OtherGeneration,

    /// <summary>Not a snapshot of this format (an older format without a checksum, or another file): engine untouched.</summary>
    OtherFormat,
}

/// <summary>
/// The engine's state as one binary file, so a restart on an unchanged store does not re-read
/// millions of rows from LiteDB. The file is labelled with the store's generation; a file whose
/// generation differs from the store's (anything was written since, or the process died before
/// saving) is ignored and the engine is rebuilt from the store, which stays the only record.
/// Format 2 ends with a SHA-256 of every byte before it, and every length in it is checked against
/// the bytes that remain: a damaged file is refused as a whole (a flipped bit once loaded silently
/// and changed a CAC tenfold), never half read, never an out-of-memory crash.
/// </summary>
public sealed partial class MetricEngine
{
    private const string SnapshotMagic = "GROWTHBOT-ENGINE";

    // 1: no checksum, unchecked lengths (ignored, and rebuilt). 2: SHA-256 trailer, checked lengths.
    private const int SnapshotFormat = 2;

    /// <summary>Writes the engine's state, labelled with <paramref name="storeGeneration"/>, and its checksum.</summary>
    public void WriteSnapshot(Stream stream, long storeGeneration)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var checksummed = new SnapshotChecksum.Writing(stream);
        WriteSnapshotContent(checksummed, storeGeneration);
        checksummed.WriteChecksum();
    }

    /// <summary>
    /// Writes the engine's state, labelled with <paramref name="storeGeneration"/>, without its
    /// checksum: <see cref="AppendSnapshotChecksum"/> completes the file afterwards. Only this part
    /// needs the engine held still, so whoever keeps the engine and the store in step (the host's
    /// writers) waits for this alone, not for the hashing and the flush to disk.
    /// </summary>
    public void WriteSnapshotContent(Stream stream, long storeGeneration)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // The write gate keeps a batch from compacting the subscriptions log mid-write (it does so
        // outside the write lock); the read lock keeps the timelines still. Readers go on answering.
        lock (_writeGate)
        {
            _lock.EnterReadLock();
            try
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                writer.Write(SnapshotMagic);
                writer.Write(SnapshotFormat);
                writer.Write(storeGeneration);
                _directory.Write(writer);
                _subscriptions.Write(writer);
                _responses.Write(writer);
                _orders.Write(writer);
                _tickets.Write(writer);
                _spend.Write(writer);
                _signups.Write(writer);
                writer.Write(SnapshotMagic);
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Completes a snapshot written by <see cref="WriteSnapshotContent"/>: hashes everything in
    /// <paramref name="snapshot"/> (readable and seekable, holding that content alone) and appends the checksum.
    /// Needs no lock: it reads the bytes already written, not the engine.
    /// </summary>
    public static void AppendSnapshotChecksum(Stream snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        snapshot.Flush();
        snapshot.Position = 0;
        var checksum = System.Security.Cryptography.SHA256.HashData(snapshot);
        snapshot.Position = snapshot.Length;
        snapshot.Write(checksum);
    }

    /// <summary>
    /// Replaces the engine's state with a snapshot's if it was taken at <paramref name="storeGeneration"/>;
    /// false (engine untouched) for a snapshot of another generation or format. Throws
    /// <see cref="InvalidDataException"/> for a damaged file, also leaving the engine untouched.
    /// </summary>
    public bool TryReadSnapshot(Stream stream, long storeGeneration) => ReadSnapshot(stream, storeGeneration) == SnapshotReadResult.Loaded;

    /// <summary>
    /// Replaces the engine's state with a snapshot's if it is sound, of this format and taken at
    /// <paramref name="storeGeneration"/>; otherwise says why not and leaves the engine untouched.
    /// Throws <see cref="InvalidDataException"/> for a damaged file (its checksum or a length does
    /// not hold), also leaving the engine untouched. <paramref name="stream"/> must be seekable.
    /// </summary>
    public SnapshotReadResult ReadSnapshot(Stream stream, long storeGeneration)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var checksummed = new SnapshotChecksum.Reading(stream);
        using var reader = new BinaryReader(checksummed, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (SnapshotIO.ReadString(reader) != SnapshotMagic || reader.ReadInt32() != SnapshotFormat) return SnapshotReadResult.OtherFormat;
            if (reader.ReadInt64() != storeGeneration) return SnapshotReadResult.OtherGeneration;
        }
        catch (Exception exception) when (exception is EndOfStreamException or InvalidDataException or DecoderFallbackException or FormatException)
        {
            return SnapshotReadResult.OtherFormat;
        }

        // Read everything aside first, so a damaged file leaves the engine as it was.
        var directory = new CustomerDirectory();
        var subscriptions = new SubscriptionLog();
        var responses = new Timeline<ResponsePoint>();
        var orders = new Timeline<OrderPoint>();
        var tickets = new Timeline<TicketPoint>();
        var spend = new Timeline<SpendPoint>();
        var signups = new Timeline<SignupPoint>();
        try
        {
            directory.Read(reader);
            subscriptions.Read(reader, directory);
            responses.Read(reader);
            orders.Read(reader);
            tickets.Read(reader);
            spend.Read(reader);
            signups.Read(reader);
            if (SnapshotIO.ReadString(reader) != SnapshotMagic) throw new InvalidDataException("The engine snapshot does not end where it should.");
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The engine snapshot is cut short.", exception);
        }
        catch (DecoderFallbackException exception)
        {
            throw new InvalidDataException("The engine snapshot holds a name that is not UTF-8.", exception);
        }
        catch (FormatException exception)
        {
            throw new InvalidDataException("The engine snapshot holds a malformed string length.", exception);
        }
        if (!checksummed.Verify()) throw new InvalidDataException("The engine snapshot's checksum does not match its content.");

        lock (_writeGate)
        {
            _lock.EnterWriteLock();
            try
            {
                (_directory, _subscriptions, _responses, _orders, _tickets, _spend, _signups) = (directory, subscriptions, responses, orders, tickets, spend, signups);
                _touched.Clear();
                _rowsSinceBuild.Clear();
                _pending = null;
                _rebuildRevenue = true;
                _ordersStale = true;
                _orderedBeforeCount = NoFlags;
                SealTimelines();
                _revenue = NextRevenue() ?? _revenue;
                return SnapshotReadResult.Loaded;
            }
            finally
            {
                _lock.ExitWriteLock();
                BumpAll();
            }
        }
    }
}
