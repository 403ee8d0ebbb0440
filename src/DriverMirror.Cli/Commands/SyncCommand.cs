using System.CommandLine;
using System.Globalization;
using DriverMirror.Cli.Output;
using DriverMirror.Mirroring;
using DriverMirror.WebRoot;
using Spectre.Console;

namespace DriverMirror.Cli.Commands;

/// <summary>
/// <c>sync [&lt;name&gt;...] [--parallel N]</c>: runs the same <see cref="MirrorService"/> as the queue function, in-process
/// and without the queue. Exit 0 when every driver is served as its spec asks, 1 when any sync failed.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var names = CliSymbols.DriverNamesArgument("Drivers to sync; every active driver when none is given.");
        var parallel = new Option<int?>("--parallel")
        {
            Description = "How many drivers sync at once, 1 to 64 (default: the Mirror:Parallelism setting, 4).",
            HelpName = "N",
            CustomParser = result =>
            {
                if (result.Tokens is [{ } token] && int.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 64)
                {
                    return value;
                }

                result.AddError("--parallel must be a whole number from 1 to 64.");
                return null;
            },
        };
        var command = new Command("sync", "Download, verify and publish driver archives into the web root, then rewrite index.json.") { names, parallel };

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var requested = parseResult.GetValue(names) ?? [];
            var parallelism = parseResult.GetValue(parallel) ?? context.Options.Parallelism;
            var mirror = context.Get<MirrorService>();

            var outcomes = context.Interactive
                ? await SyncProgressDisplay.RunAsync(context.Console, progress => mirror.SyncManyAsync(requested, parallelism, progress, cancellationToken))
                : await mirror.SyncManyAsync(requested, parallelism, progress: null, cancellationToken);

            WriteOutcomes(context, outcomes.OrderBy(o => o.Name, StringComparer.Ordinal).ToList());
            WriteWebRoot(context);
            return outcomes.All(o => o.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static void WriteOutcomes(CliContext context, IReadOnlyList<SyncOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            context.Out.WriteLine("Nothing to sync: no active drivers.");
            return;
        }

        if (!context.Interactive)
        {
            foreach (var outcome in outcomes)
            {
                context.Out.WriteLine($"{outcome.Name}: {Word(outcome.Result)} {outcome.Message}".TrimEnd());
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("DRIVER", "RESULT", "MESSAGE");
        foreach (var outcome in outcomes)
        {
            var colour = outcome.Succeeded ? "green" : outcome.Result == SyncResult.Failed ? "red" : "yellow";
            table.AddRow(Markup.Escape(outcome.Name), $"[{colour}]{Word(outcome.Result)}[/]", Markup.Escape(outcome.Message));
        }

        context.Console.Write(table);
    }

    /// <summary>Where Rancher (and people) find the mirror: the public base URL when one is configured, else the container.</summary>
    private static void WriteWebRoot(CliContext context)
    {
        var options = context.Options;
        var root = options.PublicBaseUrl is { } publicBase
            ? publicBase.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : context.Storage.Blobs.GetBlobContainerClient(options.ContainerName).Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        context.Out.WriteLine($"web root: {root}/{WebRootWriter.IndexHtml}");
        context.Out.WriteLine($"index:    {root}/{WebRootWriter.IndexJson}");
        context.Out.WriteLine($"rancher:  {root}/rancher/nodedrivers.yaml");
    }

    private static string Word(SyncResult result) => result.ToString().ToLowerInvariant();
}
