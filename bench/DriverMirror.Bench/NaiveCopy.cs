using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace DriverMirror.Bench;

/// <summary>
/// The cost floor of moving an archive from the upstream into Azurite: one GET streamed straight into
/// <see cref="BlobClient.UploadAsync(Stream, BlobUploadOptions, CancellationToken)"/>, with nothing hashed, inspected,
/// staged or recorded.
/// </summary>
internal static class NaiveCopy
{
    /// <summary>
    /// The same blocks as the publisher stages: 4 MiB, at most 4 uploading at once (ArtifactPublisher.BlockSize and
    /// MaxBlocksInFlight, which are internal), so the two differ in what they do with the bytes, not in how they upload them.
    /// </summary>
    private static readonly StorageTransferOptions SameBlocksAsThePublisher = new()
    {
        InitialTransferSize = 4 * Units.BytesPerMiB,
        MaximumTransferSize = 4 * Units.BytesPerMiB,
        MaximumConcurrency = 4,
    };

    public static async Task CopyAsync(HttpClient http, Uri url, BlobClient target, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await target.UploadAsync(body, new BlobUploadOptions { TransferOptions = SameBlocksAsThePublisher }, cancellationToken);
    }
}
