using System.CommandLine;
using DriverMirror.Catalog;

namespace DriverMirror.Cli.Commands;

/// <summary><c>drivers remove &lt;name&gt;</c></summary>
internal static class DriversRemoveCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var name = CliSymbols.DriverNameArgument();
        var command = new Command("remove", "Delete a driver record. Its published artifacts stay in the web root: URLs Rancher holds keep working.") { name };

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var driverName = parseResult.GetRequiredValue(name);
            await context.Get<DriverCatalog>().DeleteAsync(driverName, cancellationToken: cancellationToken);
            await context.Out.WriteLineAsync($"removed driver {driverName}; its published artifacts stay in the web root.");
            return ExitCodes.Success;
        });
        return command;
    }
}
