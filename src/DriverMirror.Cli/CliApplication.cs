using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using DriverMirror.Cli.Commands;

namespace DriverMirror.Cli;

/// <summary>The <c>drivermirror</c> command line, callable in-process (tests) or from <c>Program</c>.</summary>
public static partial class CliApplication
{
    /// <summary>The command's name: the assembly name, whatever process hosts it.</summary>
    public const string ExecutableName = "drivermirror";

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command. Settings come from environment variables, then
    /// <paramref name="extraSettings"/> (keys like <c>Mirror:TableName</c>), then <c>--storage</c>.
    /// Tables and live progress are drawn only when <paramref name="stdout"/> is the console and a terminal.
    /// </summary>
    /// <returns>The exit code: see <see cref="ExitCodes"/>.</returns>
    public static Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyDictionary<string, string?>? extraSettings = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(args, stdout, stderr, IsTerminal(stdout), extraSettings, cancellationToken);

    internal static async Task<int> RunAsync(
        string[] args,
        TextWriter stdout,
        TextWriter stderr,
        bool interactive,
        IReadOnlyDictionary<string, string?>? extraSettings,
        CancellationToken cancellationToken)
    {
        var runtime = new CliRuntime(stdout, stderr, interactive, extraSettings);
        var parseResult = BuildRootCommand(runtime).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            // System.CommandLine would print every error plus the whole help text; one line is what a log needs.
            var command = CommandPath(parseResult.CommandResult);
            var errors = string.Join("; ", parseResult.Errors.Select(e => Whitespace().Replace(e.Message, " ").Trim()));
            await stderr.WriteLineAsync($"error: {errors} (see '{command} --help')");
            return ExitCodes.InvalidInput;
        }

        return await parseResult.InvokeAsync(
            new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,

                // Program.cs owns Ctrl+C; a library must not hook process signals in an in-process run.
                ProcessTerminationTimeout = null,
            },
            cancellationToken);
    }

    /// <summary>
    /// The command tree. The root is a plain <see cref="Command"/> named <see cref="ExecutableName"/>: a
    /// <see cref="RootCommand"/> takes its name from the host process, which is <c>DriverMirror.Cli</c> or <c>testhost</c>.
    /// </summary>
    internal static Command BuildRootCommand(CliRuntime runtime)
    {
        var root = new Command(ExecutableName, "Manage Rancher machine-driver records and mirror their archives into a public Azure Blob container.")
        {
            new HelpOption(),
            new VersionOption(),
            runtime.StorageOption,
            runtime.VerboseOption,
            new Command("catalog", "Driver catalogs: the built-in rancher-1.6 and rancher-2 lists, or your own JSON file.")
            {
                CatalogImportCommand.Create(runtime),
            },
            new Command("drivers", "Driver records in Table storage.")
            {
                DriversListCommand.Create(runtime),
                DriversShowCommand.Create(runtime),
                DriversAddCommand.Create(runtime),
                DriversSetCommand.Create(runtime),
                DriversActivationCommand.Create(runtime, active: true),
                DriversActivationCommand.Create(runtime, active: false),
                DriversRemoveCommand.Create(runtime),
            },
            SyncCommand.Create(runtime),
        };
        return root;
    }

    private static bool IsTerminal(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>"drivermirror drivers add", whatever the host process is called (tests run inside testhost).</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: var command })
            {
                names.Insert(0, command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
