using DriverFunctions.Http;
using DriverFunctions.Mirroring;
using DriverMirror;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DriverFunctions;

/// <summary>Everything the Functions app registers; Program.cs and the tests call this one method.</summary>
public static class DriverFunctionsServiceCollectionExtensions
{
    /// <summary>How long the health probe waits for storage before it reports unhealthy.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(10);

    public static IServiceCollection AddDriverFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDriverMirror(configuration);
        services.AddOptions<QueueRetrySettings>().Bind(configuration.GetSection(QueueRetrySettings.SectionName));
        services.AddHealthChecks()
            .AddCheck<DriverTableHealthCheck>(DriverTableHealthCheck.Name, HealthStatus.Unhealthy, timeout: HealthCheckTimeout);
        return services;
    }
}
