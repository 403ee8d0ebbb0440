using System.Buffers;
using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace DriverMirror.Mirroring;

/// <summary>
/// A blob in the private staging container that receives an artifact's bytes as they stream in: blocks of a fixed size are
/// uploaded while the next one fills, a bounded number at a time, so memory stays at (blocks in flight + 1) × block size
/// whatever the artifact's size. Disposing it deletes the blob and its blocks, committed or not.
/// </summary>
internal sealed class StagingBlob(BlockBlobClient blob, ArrayPool<byte> pool, int blockSize, int maxBlocksInFlight, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim slots = new(maxBlocksInFlight, maxBlocksInFlight);
    private readonly List<Task> uploads = [];
    private readonly List<string> blockIds = [];
    private bool committed;

    /// <summary>The staging blob.</summary>
    public BlockBlobClient Client => blob;

    /// <summary>A buffer of one block, to fill and hand to <see cref="StageAsync"/>.</summary>
    public byte[] RentBlock() => pool.Rent(blockSize);

    /// <summary>Gives a buffer back without staging it.</summary>
    public void ReturnBlock(byte[] block) => pool.Return(block);

    /// <summary>Starts uploading <paramref name="block"/> (which the staging blob now owns) once a slot is free.</summary>
    /// <exception cref="Azure.RequestFailedException">An earlier block failed to upload.</exception>
    public async Task StageAsync(byte[] block, int length, CancellationToken cancellationToken)
    {
        try
        {
            ThrowIfAnyUploadFailed();
            await slots.WaitAsync(cancellationToken);
        }
        catch
        {
            pool.Return(block);
            throw;
        }

        var blockId = BlockId("stage", blockIds.Count);
        blockIds.Add(blockId);

        // Not cancelled with the publish: a Put Block cancelled on the client can still land on the server after the cleanup
        // ran, leaving an orphan block. The few blocks in flight finish (the SDK's network timeout bounds them), then the
        // cleanup removes them all.
        uploads.Add(UploadAsync(blockId, block, length, CancellationToken.None));
    }

    /// <summary>Waits for every staged block; throws the first upload failure.</summary>
    public Task WaitForUploadsAsync() => Task.WhenAll(uploads);

    /// <summary>Commits the staged blocks, in order, into the (private) staging blob.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await WaitForUploadsAsync();
        await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions(), cancellationToken);
        committed = true;
    }

    /// <summary>A block id: base64 of a fixed-length string, as the service requires all ids of a blob to be the same length.</summary>
    public static string BlockId(string prefix, int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}-{index:D8}")));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(uploads);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Already reported by the publish that failed; only cleanup is left to do.
        }

        using var timeout = new CancellationTokenSource(CleanupTimeout);
        try
        {
            if (!committed && blockIds.Count > 0)
            {
                // Uncommitted blocks would linger for a week; committing an empty list discards them, then the blob goes.
                await blob.CommitBlockListAsync([], new CommitBlockListOptions(), timeout.Token);
            }

            if (committed || blockIds.Count > 0)
            {
                await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: timeout.Token);
            }
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or IOException)
        {
            logger.LogWarning(ex, "Could not delete staging blob {StagingBlob}; it is private and can be deleted by hand", blob.Name);
        }

        slots.Dispose();
    }

    private async Task UploadAsync(string blockId, byte[] block, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new MemoryStream(block, 0, length, writable: false);

            // A transactional checksum per block: bytes damaged on the way to storage would otherwise be published under a
            // sha256 they do not have. MD5 (Content-MD5), because Auto means CRC64 in a structured message body in this SDK,
            // which Azurite does not acknowledge.
            await blob.StageBlockAsync(blockId, content, new BlockBlobStageBlockOptions
            {
                TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
            }, cancellationToken);
        }
        finally
        {
            pool.Return(block);
            slots.Release();
        }
    }

    private void ThrowIfAnyUploadFailed()
    {
        foreach (var upload in uploads)
        {
            if (upload.IsFaulted)
            {
                upload.GetAwaiter().GetResult();
            }
        }
    }
}
