using System.Text;
using GrowthBot.Core.Metrics.Index;

namespace GrowthBot.Core.Metrics;

/// <summary>
/// The engine's state as one binary file, so a restart on an unchanged store does not re-read
/// millions of rows from LiteDB. The file is labelled with the store's generation; a file whose
/// generation differs from the store's (anything was written since, or the process died before
/// saving) is ignored and the engine is rebuilt from the store, which stays the only record.
/// </summary>
public sealed partial class MetricEngine
{
    private const string SnapshotMagic = "GROWTHBOT-ENGINE";
    private const int SnapshotFormat = 1;

    /// <summary>Writes the engine's state, labelled with <paramref name="storeGeneration"/>.</summary>
    public void WriteSnapshot(Stream stream, long storeGeneration)
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
    /// Replaces the engine's state with a snapshot's if it was taken at <paramref name="storeGeneration"/>;
    /// false (engine untouched) for a snapshot of another generation or format. Throws
    /// <see cref="InvalidDataException"/> for a damaged file, also leaving the engine untouched.
    /// </summary>
    public bool TryReadSnapshot(Stream stream, long storeGeneration)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadString() != SnapshotMagic || reader.ReadInt32() != SnapshotFormat) return false;
            if (reader.ReadInt64() != storeGeneration) return false;
        }
        catch (EndOfStreamException)
        {
            return false;
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
            if (reader.ReadString() != SnapshotMagic) throw new InvalidDataException("The engine snapshot does not end where it should.");
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The engine snapshot is cut short.", exception);
        }

        lock (_writeGate)
        {
            _lock.EnterWriteLock();
            try
            {
                (_directory, _subscriptions, _responses, _orders, _tickets, _spend, _signups) = (directory, subscriptions, responses, orders, tickets, spend, signups);
                _touched.Clear();
                _rowsSinceBuild.Clear();
                _rebuildRevenue = true;
                _ordersStale = true;
                SealTimelines();
                _revenue = NextRevenue() ?? _revenue;
                return true;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }
}
