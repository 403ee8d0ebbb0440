using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DriverMirror.Mirroring;

namespace DriverMirror.Bench;

/// <summary>
/// The cost floor of moving an archive from the upstream into Azurite: one GET streamed straight into
/// <see cref="BlobClient.UploadAsync(Stream, BlobUploadOptions, CancellationToken)"/>, with nothing hashed, inspected,
/// staged or recorded.
/// </summary>
internal static class NaiveCopy
{
    /// <summary>
    /// The same blocks as the publisher stages: <see cref="ArtifactPublisher.BlockSize"/> (4 MiB), at most
    /// <see cref="ArtifactPublisher.MaxBlocksInFlight"/> (4) uploading at once (internal to the library, visible to the bench).
    /// </summary>
    private static readonly StorageTransferOptions SameBlocksAsThePublisher = new()
    {
        InitialTransferSize = ArtifactPublisher.BlockSize,
        MaximumTransferSize = ArtifactPublisher.BlockSize,
        MaximumConcurrency = ArtifactPublisher.MaxBlocksInFlight,
    };

    public static async Task CopyAsync(HttpClient http, Uri url, BlobClient target, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await target.UploadAsync(body, new BlobUploadOptions { TransferOptions = SameBlocksAsThePublisher }, cancellationToken);
    }
}
