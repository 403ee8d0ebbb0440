using DriverMirror.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DriverMirror.Testing;

/// <summary>
/// The production service graph (<see cref="DriverMirrorServiceCollectionExtensions.AddDriverMirror"/>) over the shared
/// Azurite, with a table, container and queue of its own so tests can run in parallel.
/// </summary>
public sealed class TestEnvironment : IAsyncDisposable
{
    private TestEnvironment(IReadOnlyDictionary<string, string?> settings, ServiceProvider services)
    {
        Settings = settings;
        Services = services;
    }

    /// <summary>The settings the services were built from (also what a CLI or Functions test passes on).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public ServiceProvider Services { get; }

    public StorageClients Storage => Services.GetRequiredService<StorageClients>();

    public MirrorOptions Options => Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MirrorOptions>>().Value;

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Creates an environment; <paramref name="configure"/> may add or override settings (keys like <c>Mirror:AllowedNetworks</c>).</summary>
    public static TestEnvironment Create(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var settings = new Dictionary<string, string?>
        {
            [StorageClients.DefaultSettingName] = AzuriteServer.Shared.ConnectionString,
            ["Mirror:TableName"] = $"drivers{suffix}",
            ["Mirror:ContainerName"] = $"drivers-{suffix}",
            ["Mirror:QueueName"] = $"mirror-{suffix}",
            ["Mirror:AllowedNetworks"] = "127.0.0.1/32",
        };
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var collection = new ServiceCollection().AddLogging().AddDriverMirror(configuration);
        services?.Invoke(collection);
        return new TestEnvironment(settings, collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
