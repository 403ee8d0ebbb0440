using DriverFunctions.Mirroring;
using DriverMirror;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DriverFunctions;

/// <summary>Everything the Functions app registers; Program.cs and the tests call this one method.</summary>
public static class DriverFunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddDriverFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDriverMirror(configuration);
        services.AddOptions<QueueRetrySettings>().Bind(configuration.GetSection(QueueRetrySettings.SectionName));
        return services;
    }
}
