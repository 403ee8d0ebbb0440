using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DriverMirror.Storage;

/// <summary>
/// The table, blob and queue service clients of one storage account, built from the Functions-style
/// <c>AzureWebJobsStorage</c> setting: either a connection string, or an identity-based section
/// (<c>blobServiceUri</c>/<c>queueServiceUri</c>/<c>tableServiceUri</c> or <c>accountName</c>, plus
/// <c>credential</c> and <c>clientId</c>).
/// </summary>
public sealed class StorageClients
{
    /// <summary>The setting name the Functions host uses for its own storage.</summary>
    public const string DefaultSettingName = "AzureWebJobsStorage";

    /// <summary>The Azurite connection string.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>Creates clients from explicit service clients.</summary>
    public StorageClients(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues)
    {
        Tables = tables;
        Blobs = blobs;
        Queues = queues;
    }

    /// <summary>The table service.</summary>
    public TableServiceClient Tables { get; }

    /// <summary>The blob service.</summary>
    public BlobServiceClient Blobs { get; }

    /// <summary>The queue service; messages are base64, as the Functions queue trigger expects by default.</summary>
    public QueueServiceClient Queues { get; }

    /// <summary>Whether the clients authenticate with a token credential (identity-based connection) rather than a key.</summary>
    public bool UsesIdentity => Credential is not null;

    /// <summary>The token credential of an identity-based connection; <see langword="null"/> for a connection string.</summary>
    public TokenCredential? Credential { get; private init; }

    /// <summary>Client options for queues: base64 messages, matching <c>extensions.queues.messageEncoding</c> in host.json.</summary>
    public static QueueClientOptions QueueOptions => new() { MessageEncoding = QueueMessageEncoding.Base64 };

    /// <summary>Creates clients from a connection string (<c>UseDevelopmentStorage=true</c> for Azurite).</summary>
    public static StorageClients FromConnectionString(string connectionString) => new(
        new TableServiceClient(connectionString),
        new BlobServiceClient(connectionString),
        new QueueServiceClient(connectionString, QueueOptions));

    /// <summary>
    /// Creates clients from configuration: <paramref name="settingName"/> as a connection string, or as a section of an
    /// identity-based connection. Missing entirely, it means Azurite.
    /// </summary>
    public static StorageClients FromConfiguration(IConfiguration configuration, string settingName = DefaultSettingName, TokenCredential? credential = null)
    {
        var section = configuration.GetSection(settingName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return FromConnectionString(section.Value);
        }

        if (!section.GetChildren().Any())
        {
            return FromConnectionString(DevelopmentStorage);
        }

        var accountName = section["accountName"];
        Uri ServiceUri(string key, string service) =>
            section[key] is { Length: > 0 } value ? new Uri(value)
            : accountName is { Length: > 0 } ? new Uri($"https://{accountName}.{service}.core.windows.net")
            : throw new InvalidOperationException($"Setting '{settingName}' has neither '{key}' nor 'accountName'.");

        credential ??= CreateCredential(section);
        return new StorageClients(
            new TableServiceClient(ServiceUri("tableServiceUri", "table"), credential),
            new BlobServiceClient(ServiceUri("blobServiceUri", "blob"), credential),
            new QueueServiceClient(ServiceUri("queueServiceUri", "queue"), credential, QueueOptions))
        {
            Credential = credential,
        };
    }

    /// <summary>
    /// The credential the section describes, read by the same Microsoft.Extensions.Azure factory the Functions host uses for
    /// its identity-based connections (<c>credential</c> = <c>managedidentity</c> with <c>clientId</c> or
    /// <c>managedIdentityResourceId</c>, <c>workloadidentity</c>, <c>tenantId</c> + <c>clientSecret</c> or
    /// <c>clientCertificate</c>); nothing of that kind means <c>DefaultAzureCredential</c>, as for the host.
    /// </summary>
    private static TokenCredential CreateCredential(IConfigurationSection section)
    {
        var collection = new ServiceCollection();
        collection.AddAzureClientsCore();
        using var services = collection.BuildServiceProvider();
        return services.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(section);
    }
}
