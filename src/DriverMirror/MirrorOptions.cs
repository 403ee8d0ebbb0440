using System.ComponentModel.DataAnnotations;

namespace DriverMirror;

/// <summary>
/// The <c>Mirror</c> settings section, read the same way by the Functions app (<c>Mirror__ContainerName</c>) and the CLI.
/// Validated at start-up.
/// </summary>
public sealed class MirrorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Mirror";

    /// <summary>The public web-root container.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,53}[a-z0-9]$", ErrorMessage = "ContainerName must be a valid blob container name of at most 55 characters (room for '-staging').")]
    public string ContainerName { get; set; } = "drivers";

    /// <summary>The private container beside the web root for staging uploads and sync locks: <c>&lt;ContainerName&gt;-staging</c>.</summary>
    public string StagingContainerName => $"{ContainerName}-staging";

    /// <summary>The table of driver records.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$", ErrorMessage = "TableName must be a valid table name.")]
    public string TableName { get; set; } = "drivers";

    /// <summary>The queue of sync requests; poison messages go to <c>&lt;QueueName&gt;-poison</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$", ErrorMessage = "QueueName must be a valid queue name of at most 56 characters (room for '-poison').")]
    public string QueueName { get; set; } = "mirror-requests";

    /// <summary>NCRONTAB schedule of the mirror timer (six fields, seconds first).</summary>
    [Required]
    public string Schedule { get; set; } = "0 0 */6 * * *";

    /// <summary>Largest archive accepted, in bytes; enforced while streaming.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Comma-separated CIDRs the egress guard lets through although they are loopback/private/link-local.</summary>
    public string? AllowedNetworks { get; set; }

    /// <summary>Public URL that serves the container (a CDN or Front Door in front of it); default: the container URL.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How many drivers a CLI sync runs at once.</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    /// <summary>Most redirects followed for one download.</summary>
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Time allowed to connect and receive response headers.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one whole download; shorter than host.json's functionTimeout, so a slow download is recorded as failed rather than killed by the host.</summary>
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(20);
}
