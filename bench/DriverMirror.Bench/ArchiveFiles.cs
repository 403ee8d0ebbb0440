using System.Security.Cryptography;
using DriverMirror.Testing;

namespace DriverMirror.Bench;

/// <summary>
/// The archives the upstream serves, generated once per size into a temporary folder and deleted at the end. Served from a
/// file (the page cache, after the first read), the upstream costs little next to what is measured.
/// </summary>
internal sealed class ArchiveFiles : IDisposable
{
    /// <summary>The upstream file name: the last segment of every URL, and the name the mirror publishes under.</summary>
    public const string FileName = "docker-machine-driver-bench_1.0.0_linux_amd64.tar.gz";

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("driver-mirror-bench-");
    private readonly Dictionary<int, ArchiveFile> generated = [];

    /// <summary>The archive with a <paramref name="payloadMiB"/> MiB driver, generated on first use.</summary>
    public async Task<ArchiveFile> GetAsync(int payloadMiB, CancellationToken cancellationToken)
    {
        if (generated.TryGetValue(payloadMiB, out var existing))
        {
            return existing;
        }

        var path = Path.Combine(folder.FullName, $"{payloadMiB}-MiB.tar.gz");
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var source = ArchiveBuilder.StreamLargeTarGz(payloadMiB * Units.BytesPerMiB, seed: (ulong)payloadMiB, driverName: "docker-machine-driver-bench"))
        await using (var file = File.Create(path))
        {
            var buffer = new byte[1024 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha256.AppendData(buffer.AsSpan(0, read));
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }

        var archive = new ArchiveFile(path, new FileInfo(path).Length, payloadMiB, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        generated[payloadMiB] = archive;
        return archive;
    }

    public void Dispose() => folder.Delete(recursive: true);
}
