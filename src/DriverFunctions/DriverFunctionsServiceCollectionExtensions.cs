using DriverFunctions.Http;
using DriverMirror;
using DriverMirror.Mirroring;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DriverFunctions;

/// <summary>Everything the Functions app registers; Program.cs and the tests call these methods.</summary>
public static class DriverFunctionsServiceCollectionExtensions
{
    /// <summary>How long the health probe waits for storage before it reports unhealthy.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The whole worker set-up of Program.cs: ASP.NET Core integration, host.json as configuration (the queue retry
    /// settings live there once, and the worker needs to know the last delivery), and the services.
    /// </summary>
    public static FunctionsApplicationBuilder AddDriverFunctions(this FunctionsApplicationBuilder builder, string? hostJsonPath = null)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Configuration.AddJsonFile(hostJsonPath ?? Path.Combine(AppContext.BaseDirectory, "host.json"), optional: true);
        builder.Services.AddDriverFunctions(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// The queue extension's retry settings are read from host.json itself, so the queue function knows which delivery
    /// is the last and how soon a thrown message returns without a second copy of the numbers.
    /// </summary>
    public const string QueueRetrySectionName = "extensions:queues";

    public static IServiceCollection AddDriverFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDriverMirror(configuration);
        services.AddOptions<QueueRetryRules>().Bind(configuration.GetSection(QueueRetrySectionName));
        services.AddHealthChecks()
            .AddCheck<DriverTableHealthCheck>(DriverTableHealthCheck.Name, HealthStatus.Unhealthy, timeout: HealthCheckTimeout);
        return services;
    }
}
