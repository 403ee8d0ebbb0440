using System.IO.Compression;
using SharpCompress.Common;
using SharpCompress.Readers;
using SharpCompress.Readers.Zip;

namespace DriverMirror.Mirroring;

/// <summary>
/// Reads an archive forward-only (SharpCompress) and checks it is what Rancher can install: gzip tar, zip or bare ELF,
/// holding an ELF <c>docker-machine-driver-*</c>, with no path traversal, bounded entry count and expansion.
/// </summary>
/// <remarks>
/// The format is decided by magic bytes, not by the file name or the upstream Content-Type (both lie often enough). Every
/// entry is read to its end so expansion is counted from real bytes, never from headers. A failure of the stream itself
/// (network) propagates unchanged because it may be transient; everything the content is to blame for becomes a permanent
/// <see cref="MirrorException"/> that says what was received.
/// </remarks>
public sealed class ArchiveInspector
{
    private const int SniffLength = 512;
    private const int EntriesNamedInMessages = 8;

    // The end of a zip kept to read its central directory: room for 10 000 entries with long names.
    private const int ZipTailBytes = 4 * 1024 * 1024;

    /// <summary>Reads <paramref name="archive"/> to its end and reports what it holds.</summary>
    /// <param name="archive">A forward-only stream; not disposed.</param>
    /// <param name="fileName">The upstream file name (a bare binary must be named <c>docker-machine-driver-*</c>).</param>
    /// <param name="rules">Limits and expectations.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="MirrorException">Permanent: the content is refused, with a message that says what was received.</exception>
    public async Task<ArchiveReport> InspectAsync(Stream archive, string fileName, ArchiveRules rules, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(rules);

        var source = new InspectedSource(archive);
        try
        {
            var head = await source.PeekAsync(SniffLength, cancellationToken);
            if (head is [0x1F, 0x8B, ..])
            {
                return await InspectTarGzAsync(source, rules, cancellationToken);
            }

            if (head is [(byte)'P', (byte)'K', 3, 4, ..] or [(byte)'P', (byte)'K', 5, 6, ..])
            {
                return await InspectZipAsync(source, rules, cancellationToken);
            }

            if (ElfMagic.IsElf(head))
            {
                return await InspectBareBinaryAsync(source, fileName, cancellationToken);
            }

            await source.DrainAsync(cancellationToken);
            throw MirrorException.Permanent(ReceivedContent.Describe(head, source.BytesRead));
        }
        catch (Exception ex) when (source.SourceFault is { } fault && ex is not OperationCanceledException)
        {
            // The body itself failed (a reset connection, the size cap): whatever the reader made of it, the cause is the stream.
            fault.Throw();
            throw;
        }
    }

    private static async Task<ArchiveReport> InspectTarGzAsync(InspectedSource source, ArchiveRules rules, CancellationToken cancellationToken)
    {
        try
        {
            await using var gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: true);

            // The decompressed stream is bounded as a whole too: tar headers and whatever follows the end-of-archive blocks
            // expand as well, and a bomb needs no entries to be one.
            var tar = new InspectedSource(new ExpansionLimitStream(gzip, rules.MaxExpandedBytes));
            var tarHead = await tar.PeekAsync(SniffLength, cancellationToken);
            if (!TarHeader.IsValid(tarHead))
            {
                await source.DrainAsync(cancellationToken);
                throw MirrorException.Permanent(
                    $"received {source.BytesRead} bytes of gzip-compressed data that is not a tar archive (a plain .gz file?); expected a tar.gz, a zip or an ELF binary");
            }

            ArchiveReport report;
            // ReaderFactory rather than TarReader.OpenAsyncReader: in 0.50.9 the latter fails on a plain forward-only stream
            // ("Rewind can only be called after StartRecording()"), while the factory sets up the rewindable buffer it needs.
            await using (var reader = await ReaderFactory.OpenAsyncReader(tar, new ReaderOptions { LeaveStreamOpen = true }, cancellationToken))
            {
                if (reader.Type != ArchiveType.Tar)
                {
                    throw MirrorException.Permanent($"received gzip-compressed {reader.Type} data, not a tar archive; expected a tar.gz, a zip or an ELF binary");
                }

                report = await ReadEntriesAsync(reader, ArchiveFormat.TarGz, rules, zipEntries: null, cancellationToken);
            }

            await tar.DrainAsync(cancellationToken);
            await source.DrainAsync(cancellationToken);
            return report;
        }
        catch (Exception ex) when (IsContentFault(ex))
        {
            throw ArchiveRefusal.Corrupt(ArchiveFormat.TarGz, ex);
        }
    }

    private static async Task<ArchiveReport> InspectZipAsync(InspectedSource source, ArchiveRules rules, CancellationToken cancellationToken)
    {
        try
        {
            source.RetainTail(ZipTailBytes);
            var seen = new ZipEntriesSeen();
            ArchiveReport report;
            await using (var reader = await ZipReader.OpenAsyncReader(source, new ReaderOptions { LeaveStreamOpen = true }, cancellationToken))
            {
                report = await ReadEntriesAsync(reader, ArchiveFormat.Zip, rules, seen, cancellationToken);
            }

            // The central directory follows the entries; read it too, so the caller has seen (and hashed) every byte, and check
            // it: unzip extracts by it, not by the local headers the forward-only reader saw.
            await source.DrainAsync(cancellationToken);
            VerifyCentralDirectory(ZipCentralDirectory.Parse(source.Tail()), seen, report);
            return report;
        }
        catch (Exception ex) when (IsContentFault(ex))
        {
            throw ArchiveRefusal.Corrupt(ArchiveFormat.Zip, ex);
        }
    }

    private static void VerifyCentralDirectory(IReadOnlyList<ZipCentralDirectory.Entry> directory, ZipEntriesSeen seen, ArchiveReport report)
    {
        foreach (var entry in directory)
        {
            if (ArchiveEntryPath.IsUnsafe(entry.Name))
            {
                throw ArchiveRefusal.UnsafePath(entry.Name);
            }
        }

        var listed = directory.Select(e => e.Name).Order(StringComparer.Ordinal);
        if (!listed.SequenceEqual(seen.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw MirrorException.Permanent("zip central directory does not list the same entries as the archive holds (a disguised archive?)");
        }

        foreach (var link in directory.Where(e => e.IsSymlink))
        {
            if (link.Name == report.DriverBinary)
            {
                throw ArchiveRefusal.NotElf(link.Name);
            }

            if (!seen.SmallContents.TryGetValue(link.Name, out var target))
            {
                throw MirrorException.Permanent($"archive entry '{link.Name}' is a symlink with a target longer than {ZipEntriesSeen.SmallContentLimit} bytes");
            }

            var text = System.Text.Encoding.UTF8.GetString(target);
            if (ArchiveEntryPath.LinkEscapes(link.Name, text))
            {
                throw ArchiveRefusal.EscapingLink(link.Name, text);
            }
        }
    }

    private static async Task<ArchiveReport> InspectBareBinaryAsync(InspectedSource source, string fileName, CancellationToken cancellationToken)
    {
        if (!DriverBinaryName.IsDriver(fileName))
        {
            throw MirrorException.Permanent(
                $"received a bare ELF binary named '{fileName}'; Rancher installs a bare binary only when its file name starts with '{DriverBinaryName.Prefix}'");
        }

        await source.DrainAsync(cancellationToken);
        return new ArchiveReport(ArchiveFormat.Elf, fileName, EntryCount: 1, ExpandedBytes: source.BytesRead);
    }

    private static async Task<ArchiveReport> ReadEntriesAsync(IAsyncReader reader, string format, ArchiveRules rules, ZipEntriesSeen? zipEntries, CancellationToken cancellationToken)
    {
        var entryCount = 0;
        long expandedBytes = 0;
        var named = new List<string>();
        string? driver = null;
        string? preferred = null;
        string? bundleBinary = null;
        string? notElf = null;
        var buffer = new byte[81920];

        while (await reader.MoveToNextEntryAsync(cancellationToken))
        {
            var entry = reader.Entry;
            if (++entryCount > rules.MaxEntries)
            {
                throw ArchiveRefusal.TooManyEntries(rules.MaxEntries);
            }

            var key = entry.Key ?? string.Empty;
            if (ArchiveEntryPath.IsUnsafe(key))
            {
                throw ArchiveRefusal.UnsafePath(key);
            }

            zipEntries?.Keys.Add(key);
            if (named.Count <= EntriesNamedInMessages)
            {
                named.Add(key);
            }

            if (entry.LinkTarget is { Length: > 0 } linkTarget)
            {
                if (ArchiveEntryPath.LinkEscapes(key, linkTarget))
                {
                    throw ArchiveRefusal.EscapingLink(key, linkTarget);
                }

                continue;
            }

            if (entry.IsDirectory)
            {
                continue;
            }

            // Read the whole entry: its first bytes say whether it is ELF, and its length is counted from what really expands.
            var head = new byte[4];
            var headLength = 0;
            using var small = zipEntries is null ? null : new MemoryStream();
            await using (var content = await reader.OpenEntryStreamAsync(cancellationToken))
            {
                int read;
                // The array overload on purpose: in SharpCompress 0.50.9 an entry stream read through ReadAsync(Memory<byte>)
                // allocates about twice the entry's size in garbage, the array overload a tenth of that (a 64 MiB tar.gz:
                // 143 MiB allocated by the inspection against 16 MiB; bench/README.md).
#pragma warning disable CA1835
                while ((read = await content.ReadAsync(buffer, 0, buffer.Length, cancellationToken)) > 0)
#pragma warning restore CA1835
                {
                    expandedBytes += read;
                    if (expandedBytes > rules.MaxExpandedBytes)
                    {
                        throw ArchiveRefusal.TooLarge(rules.MaxExpandedBytes);
                    }

                    var copied = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, copied).CopyTo(head.AsSpan(headLength));
                    headLength += copied;
                    if (small is not null && small.Length <= ZipEntriesSeen.SmallContentLimit)
                    {
                        small.Write(buffer, 0, Math.Min(read, ZipEntriesSeen.SmallContentLimit + 1));
                    }
                }
            }

            if (small is not null && small.Length <= ZipEntriesSeen.SmallContentLimit)
            {
                // A zip symlink's target is its content; whether it is a symlink only the central directory says.
                zipEntries!.SmallContents[key] = small.ToArray();
            }

            var name = DriverBinaryName.FileNameOf(key);
            var isElf = ElfMagic.IsElf(head.AsSpan(0, headLength));
            if (DriverBinaryName.IsDriver(name))
            {
                if (!isElf)
                {
                    notElf ??= key;
                }
                else
                {
                    driver ??= key;
                    if (rules.PreferredBinary is { } wanted && name == wanted)
                    {
                        preferred ??= key;
                    }
                }
            }
            else if (isElf && rules.AllowBundle && DriverBinaryName.IsBundleBinary(name))
            {
                bundleBinary ??= key;
            }
        }

        var chosen = preferred ?? driver ?? bundleBinary;
        if (chosen is not null)
        {
            return new ArchiveReport(format, chosen, entryCount, expandedBytes);
        }

        if (notElf is not null)
        {
            throw ArchiveRefusal.NotElf(notElf);
        }

        var wantedNames = rules.AllowBundle ? $"{DriverBinaryName.Prefix}*, docker-machine or rancher-machine" : $"{DriverBinaryName.Prefix}*";
        var listed = entryCount == 0 ? "none"
            : string.Join(", ", named.Take(EntriesNamedInMessages)) + (entryCount > EntriesNamedInMessages ? $"… ({entryCount} in all)" : string.Empty);
        throw MirrorException.Permanent($"archive holds no {wantedNames} ELF binary; entries: {listed}");
    }

    /// <summary>
    /// Faults the content is to blame for: SharpCompress' own exceptions, a broken deflate stream, a truncated archive, or
    /// whatever else a reader throws on garbage. Refusals and cancellation pass through; a fault of the underlying stream is
    /// recognised by <see cref="InspectedSource.SourceFault"/> one level up.
    /// </summary>
    private static bool IsContentFault(Exception ex) =>
        ex is not (MirrorException or OperationCanceledException or OutOfMemoryException);

    /// <summary>What the forward pass over a zip saw, to compare with its central directory.</summary>
    private sealed class ZipEntriesSeen
    {
        /// <summary>Content kept per entry, up to this size: enough for a symlink target, bounded for 10 000 entries.</summary>
        public const int SmallContentLimit = 1024;

        public List<string> Keys { get; } = [];

        public Dictionary<string, byte[]> SmallContents { get; } = new(StringComparer.Ordinal);
    }
}
