using System.Runtime.InteropServices;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>Writes and reads arrays of plain values as raw bytes, for the engine snapshot.</summary>
internal static class SnapshotIO
{
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
        count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException("A negative array length in the engine snapshot.");
        var array = new T[Math.Max(count, minimumCapacity)];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(array.AsSpan(0, count)));
        return array;
    }

    public static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> values)
    {
        writer.Write(values.Count);
        foreach (var value in values) writer.Write(value);
    }

    public static IEnumerable<string> ReadStrings(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        for (var i = 0; i < count; i++) yield return reader.ReadString();
    }
}
