using System.Buffers.Binary;
using System.Text;

namespace DriverMirror.Mirroring;

/// <summary>
/// Reads a zip's central directory from the bytes at its end. A forward-only reader sees only the local headers, but
/// <c>unzip</c> extracts by the central directory: its names and its Unix modes (symlinks) are what lands on disk, so they
/// are checked too.
/// </summary>
internal static class ZipCentralDirectory
{
    private const uint EndOfCentralDirectorySignature = 0x06054b50;
    private const uint Zip64EndOfCentralDirectorySignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const int EndOfCentralDirectoryLength = 22;
    private const int MaxCommentLength = 0xFFFF;
    private const int UnixHost = 3;

    /// <summary>One central directory record: the name <c>unzip</c> will write, and whether it restores it as a symlink.</summary>
    public sealed record Entry(string Name, bool IsSymlink);

    /// <summary>The central directory's entries, or a permanent refusal when it is missing, damaged or not within <paramref name="tail"/>.</summary>
    public static IReadOnlyList<Entry> Parse(ReadOnlySpan<byte> tail)
    {
        var eocd = FindEndOfCentralDirectory(tail);
        if (eocd < 0)
        {
            throw MirrorException.Permanent("received a corrupt or truncated zip archive: no end of central directory record");
        }

        long entryCount = BinaryPrimitives.ReadUInt16LittleEndian(tail[(eocd + 10)..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(tail[(eocd + 12)..]);
        var directoryEnd = eocd;
        if (entryCount == 0xFFFF || size == 0xFFFFFFFF)
        {
            // Zip64: the locator sits just before the classic record, the zip64 record just before the locator.
            var locator = eocd - 20;
            var record = locator - 56;
            if (record < 0 || BinaryPrimitives.ReadUInt32LittleEndian(tail[locator..]) != Zip64LocatorSignature
                || BinaryPrimitives.ReadUInt32LittleEndian(tail[record..]) != Zip64EndOfCentralDirectorySignature)
            {
                throw MirrorException.Permanent("received a corrupt zip archive: damaged zip64 end of central directory");
            }

            entryCount = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail[(record + 32)..]);
            size = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail[(record + 40)..]);
            directoryEnd = record;
        }

        var start = directoryEnd - size;
        if (start < 0)
        {
            throw MirrorException.Permanent($"zip central directory of {size} bytes is too large to verify");
        }

        var entries = new List<Entry>();
        var position = (int)start;
        for (long i = 0; i < entryCount; i++)
        {
            if (position + 46 > directoryEnd || BinaryPrimitives.ReadUInt32LittleEndian(tail[position..]) != CentralHeaderSignature)
            {
                throw MirrorException.Permanent("received a corrupt zip archive: damaged central directory");
            }

            var header = tail[position..];
            var host = header[5];
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            var externalAttributes = BinaryPrimitives.ReadUInt32LittleEndian(header[38..]);
            if (position + 46 + nameLength > directoryEnd)
            {
                throw MirrorException.Permanent("received a corrupt zip archive: damaged central directory");
            }

            var name = Encoding.UTF8.GetString(header.Slice(46, nameLength));
            var isSymlink = host == UnixHost && ((externalAttributes >> 16) & 0xF000) == 0xA000;
            entries.Add(new Entry(name, isSymlink));
            position += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    private static int FindEndOfCentralDirectory(ReadOnlySpan<byte> tail)
    {
        var lowest = Math.Max(0, tail.Length - EndOfCentralDirectoryLength - MaxCommentLength);
        for (var i = tail.Length - EndOfCentralDirectoryLength; i >= lowest; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[i..]) == EndOfCentralDirectorySignature)
            {
                return i;
            }
        }

        return -1;
    }
}
