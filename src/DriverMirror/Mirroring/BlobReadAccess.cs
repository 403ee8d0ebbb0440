using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace DriverMirror.Mirroring;

/// <summary>
/// Short-lived read-only URLs for server-side copies (Put Block From URL reads its source over HTTP, with no credential of
/// the caller): a service SAS when the client holds the account key, a user-delegation SAS when it uses an identity.
/// </summary>
internal sealed class BlobReadAccess(BlobServiceClient service, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    // Clock skew between this machine and the storage service.
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>A URL that reads <paramref name="blob"/> for the next hour.</summary>
    public async Task<Uri> ReadUriAsync(BlobBaseClient blob, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + Lifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - Skew,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await service.GetUserDelegationKeyAsync(now - Skew, now + Lifetime, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key.Value, service.AccountName) }.ToUri();
    }
}
