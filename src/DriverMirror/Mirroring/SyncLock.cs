using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using DriverMirror.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Mirroring;

/// <summary>
/// One sync per driver at a time, across processes: a 60-second blob lease on <c>locks/&lt;name&gt;</c> in the private
/// staging container, renewed while the sync runs, so a crashed worker's lock expires on its own.
/// </summary>
public sealed class SyncLock
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);
    private readonly BlobContainerClient container;
    private readonly TimeProvider time;
    private readonly ILogger<SyncLock> logger;
    private readonly OnceAsync ensureContainer;

    /// <summary>Creates the lock over <c>&lt;ContainerName&gt;-staging</c>.</summary>
    public SyncLock(StorageClients storage, IOptions<MirrorOptions> options, TimeProvider time, ILogger<SyncLock> logger)
    {
        this.time = time;
        container = storage.Blobs.GetBlobContainerClient(options.Value.StagingContainerName);
        this.logger = logger;
        ensureContainer = new OnceAsync(ct => container.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: ct));
    }

    /// <summary>Takes the driver's lock, or returns <see langword="null"/> when another sync holds it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        await ensureContainer.RunAsync(cancellationToken);
        var blob = container.GetBlobClient($"locks/{name}");
        try
        {
            await blob.UploadAsync(BinaryData.FromString(name), new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Exists already (or is leased): fine, the lease decides.
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            logger.LogInformation("Another sync of {DriverName} holds its lock", name);
            return null;
        }

        return new Held(lease, time, logger);
    }

    private sealed class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient lease;
        private readonly CancellationTokenSource stop = new();
        private readonly Task renewal;

        public Held(BlobLeaseClient lease, TimeProvider time, ILogger logger)
        {
            this.lease = lease;
            renewal = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(LeaseDuration / 3, time, stop.Token);
                        await lease.RenewAsync(cancellationToken: stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                    catch (RequestFailedException e)
                    {
                        // The sync goes on: its artifact commit (If-None-Match: *) and generation-guarded status merge stay
                        // correct without the lock, which only spares duplicate work.
                        logger.LogWarning(e, "Could not renew a sync lock lease");
                    }
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewal;
            stop.Dispose();
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // An expired or lost lease needs no release.
            }
        }
    }
}
