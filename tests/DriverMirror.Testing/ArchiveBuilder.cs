using System.Formats.Tar;
using System.IO.Compression;
using System.IO.Pipelines;

namespace DriverMirror.Testing;

/// <summary>
/// Builds the archives tests feed to the inspector, the publisher and the loopback upstream: good ones in every format Rancher
/// installs, and each kind of bad one (traversal, absolute paths, escaping links, no driver, a driver that is not ELF, too
/// many entries, a bomb). Built in code, deterministic, and for large sizes streamed without being held in memory.
/// </summary>
public static class ArchiveBuilder
{
    /// <summary>The driver binary name the canned archives hold.</summary>
    public const string DriverName = "docker-machine-driver-test";

    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly byte[] ElfHeader = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];
    private static readonly DateTimeOffset FixedTime = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fake ELF binary: the ELF magic, then deterministic pseudo-random bytes.</summary>
    public static byte[] ElfPayload(int size, ulong seed = 1)
    {
        var bytes = new byte[size];
        GeneratedStream.Random(size, seed, ElfHeader).ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A gzip-compressed tar of <paramref name="entries"/>.</summary>
    public static byte[] TarGz(params TestArchiveEntry[] entries)
    {
        using var output = new MemoryStream();
        WriteTarGz(output, CompressionLevel.Optimal, entries);
        return output.ToArray();
    }

    /// <summary>A plain (uncompressed) tar of <paramref name="entries"/>.</summary>
    public static byte[] Tar(params TestArchiveEntry[] entries)
    {
        using var output = new MemoryStream();
        WriteTar(output, entries);
        return output.ToArray();
    }

    /// <summary>
    /// A zip of <paramref name="entries"/> written to a non-seekable stream, as a streaming producer (or <c>zip -</c>) writes it:
    /// sizes and CRCs come after each entry's data in data descriptors, so a forward-only reader sees size 0 in the headers.
    /// </summary>
    public static byte[] Zip(params TestArchiveEntry[] entries)
    {
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(new NonSeekableStream(output, leaveOpen: true), ZipArchiveMode.Create))
        {
            foreach (var entry in entries)
            {
                var name = entry.Kind == TestArchiveEntryKind.Folder ? entry.Name.TrimEnd('/') + "/" : entry.Name;
                var zipEntry = archive.CreateEntry(name, CompressionLevel.Optimal);
                zipEntry.LastWriteTime = FixedTime;
                if (entry.Kind is TestArchiveEntryKind.Symlink or TestArchiveEntryKind.HardLink)
                {
                    // unzip restores an entry whose Unix mode says "symlink" as a link to the path stored as content.
                    zipEntry.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
                }

                using var content = zipEntry.Open();
                if (entry.LinkTarget is { } target)
                {
                    content.Write(System.Text.Encoding.UTF8.GetBytes(target));
                }
                else if (entry.Content is { } open)
                {
                    using var source = open();
                    source.CopyTo(content);
                }
            }
        }

        return output.ToArray();
    }

    /// <summary>gzip of <paramref name="content"/> with no tar inside: a plain <c>.gz</c>.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    /// <summary>A release archive: the driver in a subfolder, with a README and a LICENSE next to it.</summary>
    public static byte[] DriverTarGz(string driverName = DriverName, string folder = "docker-machine-driver-test_1.0.0_linux_amd64", int size = 64 * 1024) => TarGz(
        TestArchiveEntry.Folder(folder),
        TestArchiveEntry.Text($"{folder}/README.md", "# test driver\n"),
        TestArchiveEntry.File($"{folder}/{driverName}", ElfPayload(size)),
        TestArchiveEntry.Text($"{folder}/LICENSE", "MIT\n"));

    /// <summary>The same release as a zip written to a non-seekable stream (data descriptors).</summary>
    public static byte[] DriverZip(string driverName = DriverName, int size = 64 * 1024) => Zip(
        TestArchiveEntry.Text("README.md", "# test driver\n"),
        TestArchiveEntry.File(driverName, ElfPayload(size)));

    /// <summary>A tar.gz with an entry that climbs out of the extraction folder (<c>../evil</c>) next to a good driver.</summary>
    public static byte[] TraversalTarGz(string evilPath = "../evil") => TarGz(
        TestArchiveEntry.File(DriverName, ElfPayload(1024)),
        TestArchiveEntry.Text(evilPath, "#!/bin/sh\n"));

    /// <summary>A tar.gz with an absolute entry (<c>/etc/evil</c>).</summary>
    public static byte[] AbsoluteTarGz(string absolutePath = "/etc/evil") => TraversalTarGz(absolutePath);

    /// <summary>A tar.gz whose symlink points outside the archive.</summary>
    public static byte[] EscapingSymlinkTarGz(string target = "../../etc/passwd") => TarGz(
        TestArchiveEntry.File($"bin/{DriverName}", ElfPayload(1024)),
        TestArchiveEntry.Symlink("bin/config", target));

    /// <summary>A tar.gz with a README and a script, and no driver.</summary>
    public static byte[] NoDriverTarGz() => TarGz(
        TestArchiveEntry.Text("README.md", "nothing here\n"),
        TestArchiveEntry.Text("install.sh", "#!/bin/sh\n"),
        TestArchiveEntry.Text("LICENSE", "MIT\n"));

    /// <summary>A tar.gz whose <c>docker-machine-driver-*</c> entry is a shell script, not an ELF binary.</summary>
    public static byte[] NonElfDriverTarGz() => TarGz(
        TestArchiveEntry.Text($"dist/{DriverName}", "#!/bin/sh\necho not a binary\n"));

    /// <summary>A tar.gz with <paramref name="count"/> small files plus the driver.</summary>
    public static byte[] ManyEntriesTarGz(int count) => TarGz(
        [.. Enumerable.Range(0, count).Select(i => TestArchiveEntry.Text($"files/{i:D6}.txt", "x")), TestArchiveEntry.File(DriverName, ElfPayload(1024))]);

    /// <summary>A tar.gz whose driver entry is <paramref name="expandedBytes"/> of zeros after the ELF magic: tiny compressed, huge expanded.</summary>
    public static byte[] BombTarGz(long expandedBytes) => TarGz(
        TestArchiveEntry.File(DriverName, () => GeneratedStream.Zeros(expandedBytes, ElfHeader)));

    /// <summary>The same bomb as a zip.</summary>
    public static byte[] BombZip(long expandedBytes) => Zip(
        TestArchiveEntry.File(DriverName, () => GeneratedStream.Zeros(expandedBytes, ElfHeader)));

    /// <summary>
    /// A tar.gz of about <paramref name="payloadBytes"/> (one incompressible driver entry) produced on the fly into a pipe: the
    /// returned stream is non-seekable and the archive is never held in memory. The bytes are the same on every call.
    /// </summary>
    public static Stream StreamLargeTarGz(long payloadBytes, ulong seed = 7, string driverName = DriverName)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: 64 * 1024));
        _ = Task.Run(async () =>
        {
            try
            {
                await using (var output = pipe.Writer.AsStream(leaveOpen: true))
                {
                    // Stored deflate blocks: the payload is random, so compressing it would only burn CPU.
                    WriteTarGz(output, CompressionLevel.NoCompression, TestArchiveEntry.File(driverName, () => GeneratedStream.Random(payloadBytes, seed, ElfHeader)));
                }

                await pipe.Writer.CompleteAsync();
            }
            catch (Exception ex)
            {
                await pipe.Writer.CompleteAsync(ex);
            }
        });
        return pipe.Reader.AsStream();
    }

    private static void WriteTarGz(Stream output, CompressionLevel level, params TestArchiveEntry[] entries)
    {
        using var gzip = new GZipStream(output, level, leaveOpen: true);
        WriteTar(gzip, entries);
    }

    private static void WriteTar(Stream output, params TestArchiveEntry[] entries)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var entry in entries)
        {
            var type = entry.Kind switch
            {
                TestArchiveEntryKind.Folder => TarEntryType.Directory,
                TestArchiveEntryKind.Symlink => TarEntryType.SymbolicLink,
                TestArchiveEntryKind.HardLink => TarEntryType.HardLink,
                _ => TarEntryType.RegularFile,
            };
            var tarEntry = new PaxTarEntry(type, entry.Name)
            {
                ModificationTime = FixedTime,
                Mode = DefaultMode,
            };
            if (entry.LinkTarget is { } target)
            {
                tarEntry.LinkName = target;
            }

            using var content = entry.Content?.Invoke();
            if (content is not null)
            {
                tarEntry.DataStream = content;
            }

            writer.WriteEntry(tarEntry);
        }
    }
}
