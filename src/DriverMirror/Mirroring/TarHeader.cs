namespace DriverMirror.Mirroring;

/// <summary>
/// Recognises the first 512-byte header of a tar archive by its checksum, which every tar flavour (v7, ustar, GNU, pax) carries:
/// the way to tell a <c>.tar.gz</c> from a plain <c>.gz</c> file once the gzip layer is peeled off.
/// </summary>
internal static class TarHeader
{
    private const int BlockSize = 512;
    private const int ChecksumOffset = 148;
    private const int ChecksumLength = 8;

    /// <summary>Whether <paramref name="block"/> starts with a valid tar header, or with the all-zero block of an empty archive.</summary>
    public static bool IsValid(ReadOnlySpan<byte> block)
    {
        if (block.Length < BlockSize)
        {
            return false;
        }

        block = block[..BlockSize];
        if (!block.ContainsAnyExcept((byte)0))
        {
            return true;
        }

        var field = block.Slice(ChecksumOffset, ChecksumLength);
        long stored = 0;
        var digits = 0;
        foreach (var b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
            {
                stored = (stored * 8) + (b - '0');
                digits++;
            }
            else if (b is (byte)' ' or 0 && digits == 0)
            {
                continue;
            }
            else if (b is (byte)' ' or 0)
            {
                break;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        // The checksum is the sum of the header's bytes with the checksum field itself read as spaces (unsigned, as POSIX says;
        // some old tars summed signed bytes, so accept either).
        long unsignedSum = 0;
        long signedSum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : block[i];
            unsignedSum += b;
            signedSum += (sbyte)b;
        }

        return stored == unsignedSum || stored == signedSum;
    }
}
