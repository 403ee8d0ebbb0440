namespace DriverMirror.Mirroring;

/// <summary>The four bytes every ELF binary starts with (<c>7F 'E' 'L' 'F'</c>): what Rancher's installer can execute.</summary>
public static class ElfMagic
{
    /// <summary>The magic bytes.</summary>
    public static ReadOnlySpan<byte> Bytes => [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    /// <summary>Whether <paramref name="prefix"/> starts with the ELF magic.</summary>
    public static bool IsElf(ReadOnlySpan<byte> prefix) => prefix.StartsWith(Bytes);
}
