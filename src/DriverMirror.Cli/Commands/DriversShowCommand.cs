using System.CommandLine;
using DriverMirror.Catalog;
using DriverMirror.Cli.Output;

namespace DriverMirror.Cli.Commands;

/// <summary><c>drivers show &lt;name&gt; [--json]</c></summary>
internal static class DriversShowCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var name = CliSymbols.DriverNameArgument();
        var json = CliSymbols.JsonOption();
        var command = new Command("show", "Show one driver: its spec and what the mirror observed (status, published artifacts).") { name, json };

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var record = await context.Get<DriverCatalog>().GetAsync(parseResult.GetRequiredValue(name), cancellationToken);
            if (parseResult.GetValue(json))
            {
                CliJson.Write(context.Out, DriverJson.ToJson(record));
            }
            else
            {
                DriverDetails.Write(context.Out, record);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
