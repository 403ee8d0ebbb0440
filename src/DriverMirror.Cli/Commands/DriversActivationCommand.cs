using System.CommandLine;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Commands;

/// <summary><c>drivers activate &lt;name&gt;</c> and <c>drivers deactivate &lt;name&gt;</c>: one concept, two verbs.</summary>
internal static class DriversActivationCommand
{
    public static Command Create(CliRuntime runtime, bool active)
    {
        var name = CliSymbols.DriverNameArgument();
        var command = new Command(
            active ? "activate" : "deactivate",
            active ? "Activate a driver: the mirror syncs it and Rancher offers it." : "Deactivate a driver: the mirror leaves it alone; published artifacts stay.")
        {
            name,
        };

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var record = await context.Get<DriverCatalog>().SetActiveAsync(parseResult.GetRequiredValue(name), active, cancellationToken: cancellationToken);
            await context.Out.WriteLineAsync($"driver {record.Name} is {(active ? "active" : "inactive")} (generation {record.Generation}).");
            return ExitCodes.Success;
        });
        return command;
    }
}
