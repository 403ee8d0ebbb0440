using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;
using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>
/// What a publishing sync does with the bytes, minus storage: one GET whose body is read into 4 MiB blocks, hashed
/// (SHA-256 and MD5) chunk by chunk and handed through a bounded pipe to the library's <see cref="ArchiveInspector"/>
/// running on a task of its own, the way <c>ArtifactPublisher.StreamThroughAsync</c> does it, but with nothing staged,
/// committed or recorded.
/// </summary>
/// <remarks>
/// The publisher's streaming pass is private and stages blocks as it goes, so this repeats it with
/// <see cref="IncrementalHash"/> and <see cref="Pipe"/>, with the publisher's own sizes; the inspector is the public one,
/// from the service graph.
/// </remarks>
internal static class InspectOnly
{
    /// <summary>The rules <c>MirrorService</c> gives a driver that is not built in.</summary>
    private static readonly ArchiveRules Rules = new();

    /// <summary>One block, reused: nothing uploads it, so the next chunk may overwrite it at once.</summary>
    private static readonly ArrayPool<byte> Blocks = ArrayPool<byte>.Create(ArtifactPublisher.BlockSize, 1);

    public static async Task<InspectedArchive> InspectAsync(HttpClient http, Uri url, ArchiveInspector inspector, string fileName, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

        var pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: ArtifactPublisher.InspectorPauseThreshold,
            resumeWriterThreshold: ArtifactPublisher.InspectorPauseThreshold / 2,
            minimumSegmentSize: ArtifactPublisher.InspectorPipeSegmentSize,
            useSynchronizationContext: false));
        var inspection = Task.Run(
            async () =>
            {
                try
                {
                    return await inspector.InspectAsync(pipe.Reader.AsStream(leaveOpen: true), fileName, Rules, cancellationToken);
                }
                finally
                {
                    await pipe.Reader.CompleteAsync();
                }
            },
            CancellationToken.None);

        long size = 0;
        var block = Blocks.Rent(ArtifactPublisher.BlockSize);
        try
        {
            var filled = 0;
            int read;
            while ((read = await body.ReadAsync(block.AsMemory(filled, ArtifactPublisher.BlockSize - filled), cancellationToken)) > 0)
            {
                var chunk = block.AsMemory(filled, read);
                sha256.AppendData(chunk.Span);
                md5.AppendData(chunk.Span);
                size += read;
                filled = (filled + read) % ArtifactPublisher.BlockSize;

                // The pipe copies the chunk; a completed reader means the inspector stopped early (it refused the content).
                if ((await pipe.Writer.WriteAsync(chunk, cancellationToken)).IsCompleted)
                {
                    break;
                }
            }

            await pipe.Writer.CompleteAsync();
        }
        catch (Exception ex)
        {
            await pipe.Writer.CompleteAsync(ex);
            throw;
        }
        finally
        {
            Blocks.Return(block);
        }

        var report = await inspection;
        var digest = Convert.ToHexStringLower(sha256.GetHashAndReset());
        _ = md5.GetHashAndReset();
        return new InspectedArchive(report, size, digest);
    }
}

