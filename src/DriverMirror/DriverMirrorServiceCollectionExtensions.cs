using DriverMirror.Catalog;
using DriverMirror.Mirroring;
using DriverMirror.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using DriverMirror.WebRoot;

namespace DriverMirror;

/// <summary>The one registration of the library's services, shared by the Functions app, the CLI and the tests.</summary>
public static class DriverMirrorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the catalog, mirroring and web-root services. Reads the <c>Mirror</c> section (validated at start-up) and the
    /// <c>AzureWebJobsStorage</c> connection (a connection string or an identity-based section; Azurite when absent).
    /// </summary>
    public static IServiceCollection AddDriverMirror(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MirrorOptions>()
            .Bind(configuration.GetSection(MirrorOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageClients.FromConfiguration(configuration));
        services.TryAddSingleton<DriverCatalog>();
        services.TryAddSingleton<CatalogImporter>();
        services.TryAddSingleton<UpstreamFetcher>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MirrorOptions>, AllowedNetworksValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MirrorOptions>, MirrorOptionsValidator>());
        services.TryAddSingleton<ArchiveInspector>();
        services.TryAddSingleton<ArtifactPublisher>();
        services.TryAddSingleton<UiComponentMirror>();
        services.TryAddSingleton<SyncLock>();
        services.TryAddSingleton<WebRootWriter>();
        services.TryAddSingleton<MirrorService>();
        services.TryAddSingleton<SyncRequestQueue>();
        services.TryAddSingleton<SyncRequestHandler>();
        return services;
    }
}
