namespace DriverMirror.Mirroring;

/// <summary>What <see cref="ArchiveInspector"/> found.</summary>
/// <param name="Format"><c>tar.gz</c>, <c>zip</c> or <c>elf</c>.</param>
/// <param name="DriverBinary">The entry holding the driver (the file name for a bare binary).</param>
/// <param name="EntryCount">Entries read.</param>
/// <param name="ExpandedBytes">Bytes the entries expand to.</param>
public sealed record ArchiveReport(string Format, string DriverBinary, int EntryCount, long ExpandedBytes);
