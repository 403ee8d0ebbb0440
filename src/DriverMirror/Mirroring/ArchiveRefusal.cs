namespace DriverMirror.Mirroring;

/// <summary>The permanent refusals of <see cref="ArchiveInspector"/>, worded for the operator who reads the failed record.</summary>
internal static class ArchiveRefusal
{
    public static MirrorException TooLarge(long maxBytes) =>
        MirrorException.Permanent($"archive expands to more than {maxBytes} bytes (decompression bomb?)");

    public static MirrorException TooManyEntries(int maxEntries) =>
        MirrorException.Permanent($"archive holds more than {maxEntries} entries");

    public static MirrorException UnsafePath(string key) =>
        MirrorException.Permanent($"archive entry '{key}' has an absolute path or a '..' segment (path traversal)");

    public static MirrorException EscapingLink(string key, string target) =>
        MirrorException.Permanent($"archive entry '{key}' links to '{target}', outside the archive");

    public static MirrorException NotElf(string key) =>
        MirrorException.Permanent($"entry {key} is not an ELF binary");

    public static MirrorException Corrupt(string format, Exception inner) =>
        MirrorException.Permanent($"received a corrupt or truncated {format} archive: {inner.Message}", inner);
}
