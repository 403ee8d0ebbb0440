using System.Text;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Storage;
using DriverMirror.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DriverFunctions.Tests;

/// <summary>
/// The worker's real service graph, built as Program.cs builds it (FunctionsApplication + ASP.NET Core integration +
/// AddDriverFunctions), over the shared Azurite with a table, container and queue of its own. Functions are called
/// the way the integration calls them: with a real <see cref="HttpRequest"/>, then the returned result is executed
/// against the request's <see cref="HttpContext"/>.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    private FunctionsApp(IHost host, IReadOnlyDictionary<string, string?> settings)
    {
        Host = host;
        Settings = settings;
    }

    public IHost Host { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    public IServiceProvider Services => Host.Services;

    public DriverCatalog Catalog => Services.GetRequiredService<DriverCatalog>();

    public static FunctionsApp Create(Action<Dictionary<string, string?>>? configure = null)
    {
        var settings = UniqueSettings();
        configure?.Invoke(settings);
        return new FunctionsApp(BuildHost(settings), settings);
    }

    /// <summary>Settings like <see cref="TestEnvironment"/>'s: the shared Azurite, with storage names of this test's own.</summary>
    public static Dictionary<string, string?> UniqueSettings()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new Dictionary<string, string?>
        {
            [StorageClients.DefaultSettingName] = AzuriteServer.Shared.ConnectionString,
            ["Mirror:TableName"] = $"drivers{suffix}",
            ["Mirror:ContainerName"] = $"drivers-{suffix}",
            ["Mirror:QueueName"] = $"mirror-{suffix}",
            ["Mirror:AllowedNetworks"] = "127.0.0.1/32",
        };
    }

    /// <summary>Program.cs, minus <c>Run()</c>.</summary>
    public static IHost BuildHost(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddDriverFunctions();
        return builder.Build();
    }

    /// <summary>Creates the function class from the worker's container (as the worker's activator does) and calls it.</summary>
    public async Task<ApiResponse> CallAsync<TFunction>(HttpRequest request, Func<TFunction, HttpRequest, Task<IActionResult>> call)
        where TFunction : class
    {
        await using var scope = Services.CreateAsyncScope();
        var context = request.HttpContext;
        context.RequestServices = scope.ServiceProvider;
        var function = ActivatorUtilities.CreateInstance<TFunction>(scope.ServiceProvider);

        var result = await call(function, request);

        var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        return new ApiResponse(context.Response.StatusCode, context.Response.Headers, context.Response.ContentType, Encoding.UTF8.GetString(body.ToArray()));
    }

    /// <summary>A request as Kestrel would hand it over: method, path and query, headers, body with its length.</summary>
    public static HttpRequest Request(string method, string pathAndQuery, string? body = null, string? contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = method;
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        foreach (var (name, value) in headers)
        {
            request.Headers.Append(name, value);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = contentType;
        }

        return request;
    }

    /// <summary>Stores a driver straight through the catalog, for tests that start from existing records.</summary>
    public Task<DriverRecord> SeedAsync(string name, bool active = true, DriverKind kind = DriverKind.Node) =>
        Catalog.CreateAsync(new DriverSpec
        {
            Name = name,
            Kind = kind,
            Active = active,
            Url = $"https://example.invalid/docker-machine-driver-{name}_linux_amd64.tar.gz",
        });

    public async ValueTask DisposeAsync()
    {
        if (Host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            Host.Dispose();
        }
    }
}

/// <summary>What a function wrote: status, headers and the body as text and as JSON.</summary>
public sealed record ApiResponse(int Status, IHeaderDictionary Headers, string? ContentType, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("The body is JSON null.");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
