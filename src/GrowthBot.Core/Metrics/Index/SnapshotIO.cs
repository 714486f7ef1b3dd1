using System.Runtime.InteropServices;
using System.Text;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// Writes and reads arrays of plain values as raw bytes, and strings, for the engine snapshot.
/// Every length read is checked before anything is allocated: not negative, within a sane maximum,
/// and no more than the bytes left in the file (<see cref="SnapshotChecksum.Reading.Remaining"/>),
/// so a damaged length is an <see cref="InvalidDataException"/>, never an out-of-memory crash.
/// </summary>
internal static class SnapshotIO
{
    /// <summary>No name or id in the engine is anywhere near this long (bytes of UTF-8).</summary>
    public const int MaxStringBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void WriteArray<T>(BinaryWriter writer, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    /// <summary>Reads an array written by <see cref="WriteArray{T}"/>, at least <paramref name="minimumCapacity"/> long.</summary>
    public static T[] ReadArray<T>(BinaryReader reader, out int count, int minimumCapacity = 0)
        where T : unmanaged
    {
        count = ReadCount(reader, Marshal.SizeOf<T>(), "array");
        var array = new T[Math.Max(count, minimumCapacity)];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan(0, count)));
        return array;
    }

    public static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values) writer.Write(value);
    }

    /// <summary>Reads strings written by <see cref="WriteStrings"/> (each as <see cref="BinaryWriter.Write(string)"/> writes it).</summary>
    public static List<string> ReadStrings(BinaryReader reader)
    {
        // Each string takes at least its one-byte length.
        var count = ReadCount(reader, 1, "string list");
        var strings = new List<string>(count);
        for (var i = 0; i < count; i++) strings.Add(ReadString(reader));
        return strings;
    }

    /// <summary>One string as <see cref="BinaryWriter.Write(string)"/> writes it, its length checked and its UTF-8 strict.</summary>
    public static string ReadString(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        if (length < 0 || length > MaxStringBytes || length > Remaining(reader)) throw new InvalidDataException($"A string length in the engine snapshot is out of range ({length}).");
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return StrictUtf8.GetString(bytes);
    }

    /// <summary>A count of elements of <paramref name="elementSize"/> bytes each, checked against the bytes left.</summary>
    private static int ReadCount(BinaryReader reader, int elementSize, string what)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > Array.MaxLength / elementSize || (long)count * elementSize > Remaining(reader))
        {
            throw new InvalidDataException($"An {what} length in the engine snapshot is out of range ({count}).");
        }
        return count;
    }

    private static long Remaining(BinaryReader reader) => reader.BaseStream switch
    {
        SnapshotChecksum.Reading checksummed => checksummed.Remaining,
        { CanSeek: true } seekable => seekable.Length - seekable.Position,
        _ => long.MaxValue,
    };
}
