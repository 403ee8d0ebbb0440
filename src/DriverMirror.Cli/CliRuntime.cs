using System.CommandLine;
using DriverMirror.Cli.Logging;
using DriverMirror.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DriverMirror.Cli;

/// <summary>
/// One invocation of the CLI: its streams, its settings, and the global options. Builds the library's service graph
/// with <see cref="DriverMirrorServiceCollectionExtensions.AddDriverMirror"/> exactly as the Functions app does, runs a
/// command's action, and maps whatever it throws to an exit code and one line on stderr.
/// </summary>
internal sealed class CliRuntime(TextWriter stdout, TextWriter stderr, bool interactive, IReadOnlyDictionary<string, string?>? extraSettings)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    public Option<string?> StorageOption { get; } = new("--storage")
    {
        Description = "Storage connection string; overrides the AzureWebJobsStorage environment variable (default: UseDevelopmentStorage=true, Azurite).",
        HelpName = "connection-string",
        Recursive = true,
    };

    public Option<bool> VerboseOption { get; } = new("--verbose", "-v")
    {
        Description = "Log information messages (and error details) to stderr; by default only warnings.",
        Recursive = true,
    };

    /// <summary>Makes <paramref name="action"/> the command's action, with services built and errors mapped.</summary>
    public void SetAction(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));

    private async Task<int> RunAsync(ParseResult parseResult, Func<CliContext, ParseResult, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var verbose = parseResult.GetValue(VerboseOption);
        try
        {
            await using var services = BuildServices(parseResult.GetValue(StorageOption), verbose);
            return await action(new CliContext(services, Out, Error, interactive), parseResult, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Error.WriteLineAsync("error: cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            var (exitCode, line) = CliErrors.Describe(e);
            await Error.WriteLineAsync($"error: {line}");
            if (verbose)
            {
                await Error.WriteLineAsync(SecretRedactor.Redact(e.ToString()));
            }

            return exitCode;
        }
    }

    /// <summary>
    /// Settings come from the environment (<c>AzureWebJobsStorage</c>, <c>Mirror__ContainerName</c>, … as Functions app
    /// settings), then the caller's extra settings, then <c>--storage</c>. Both the storage connection and the
    /// <c>Mirror</c> section are checked here, before any command touches storage.
    /// </summary>
    private ServiceProvider BuildServices(string? storage, bool verbose)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        if (extraSettings is not null)
        {
            builder.AddInMemoryCollection(extraSettings);
        }

        if (storage is not null)
        {
            builder.AddInMemoryCollection([new(StorageClients.DefaultSettingName, storage)]);
        }

        var configuration = builder.Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning)
                .AddProvider(new TextWriterLoggerProvider(Error)))
            .AddDriverMirror(configuration)
            .BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<StorageClients>();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            services.Dispose();

            // The SDK's message may quote the connection string; say which setting is wrong, never what it holds.
            throw CliException.InvalidInput(
                "storage: --storage (or AzureWebJobsStorage) is not a valid storage connection string or identity-based connection.", e);
        }

        try
        {
            _ = services.GetRequiredService<IOptions<MirrorOptions>>().Value;
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            services.Dispose();

            // The binder names the value and the setting ("'abc' at 'Mirror:MaxArtifactBytes' to type 'System.Int64'"); Mirror settings hold no secrets.
            throw CliException.InvalidInput($"configuration: {e.Message}", e);
        }
        catch
        {
            services.Dispose();
            throw;
        }

        return services;
    }
}
