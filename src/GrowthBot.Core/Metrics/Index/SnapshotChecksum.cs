using System.Security.Cryptography;

namespace GrowthBot.Core.Metrics.Index;

/// <summary>
/// The engine snapshot's integrity: a SHA-256 over every byte before it, written as the file's last
/// 32 bytes. <see cref="Writing"/> hashes what passes through to the file; <see cref="Reading"/> hashes
/// what the reader takes and knows how many bytes remain before the checksum, so every length read
/// can be checked against them before anything is allocated.
/// </summary>
internal static class SnapshotChecksum
{
    public const int Size = 32;

    /// <summary>A write-only stream that hashes everything written to <paramref name="inner"/>.</summary>
    public sealed class Writing(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        /// <summary>Writes the checksum of everything written so far to the file (not hashed itself).</summary>
        public void WriteChecksum() => inner.Write(_hash.GetHashAndReset());

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>A read-only stream over a snapshot that hashes what is read and stops before the checksum.</summary>
    public sealed class Reading : Stream
    {
        private readonly Stream _inner;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly long _end;
        private long _position;

        /// <summary>Over the rest of <paramref name="inner"/>, which must be seekable (its length bounds every count read).</summary>
        public Reading(Stream inner)
        {
            _inner = inner;
            if (!inner.CanSeek) throw new ArgumentException("An engine snapshot is read from a seekable stream (a file).", nameof(inner));
            _end = Math.Max(0, inner.Length - inner.Position - Size);
        }

        /// <summary>Bytes left before the checksum: no length read may claim more.</summary>
        public long Remaining => _end - _position;

        /// <summary>
        /// True when everything before the checksum has been read and the checksum matches it (and nothing follows).
        /// </summary>
        public bool Verify()
        {
            if (Remaining != 0) return false;
            Span<byte> stored = stackalloc byte[Size];
            if (_inner.ReadAtLeast(stored, Size, throwOnEndOfStream: false) != Size || _inner.ReadByte() != -1) return false;
            Span<byte> computed = stackalloc byte[Size];
            _hash.GetHashAndReset(computed);
            return CryptographicOperations.FixedTimeEquals(stored, computed);
        }

        public override int Read(Span<byte> buffer)
        {
            var allowed = (int)Math.Min(buffer.Length, Remaining);
            if (allowed <= 0) return 0;
            var read = _inner.Read(buffer[..allowed]);
            _hash.AppendData(buffer[..read]);
            _position += read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int ReadByte()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
