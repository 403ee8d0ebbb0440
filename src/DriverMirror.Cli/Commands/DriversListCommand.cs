using System.CommandLine;
using System.Text.Json.Nodes;
using DriverMirror.Catalog;
using DriverMirror.Cli.Output;

namespace DriverMirror.Cli.Commands;

/// <summary><c>drivers list [--json] [--kind node|cluster] [--active true|false] [--state &lt;state&gt;]</c></summary>
internal static class DriversListCommand
{
    public static Command Create(CliRuntime runtime)
    {
        var json = CliSymbols.JsonOption();
        var kind = CliSymbols.KindOption("Only node (machine) or cluster (kontainer) drivers.");
        var active = new Option<string?>("--active") { Description = "Only active (true) or inactive (false) drivers.", HelpName = "true|false" };
        active.AcceptOnlyFromAmong("true", "false");
        var state = new Option<string?>("--state") { Description = "Only drivers in this sync state.", HelpName = string.Join('|', CliSymbols.StateWords) };
        state.AcceptOnlyFromAmong(CliSymbols.StateWords);
        var command = new Command("list", "List drivers in name order.") { json, kind, active, state };

        runtime.SetAction(command, async (context, parseResult, cancellationToken) =>
        {
            var query = new DriverQuery
            {
                Kind = CliSymbols.ParseKind(parseResult.GetValue(kind)),
                Active = parseResult.GetValue(active) is { } activeWord ? bool.Parse(activeWord) : null,
                State = parseResult.GetValue(state) is { } word ? Enum.Parse<DriverState>(word, ignoreCase: true) : null,
            };
            var records = new List<DriverRecord>();
            await foreach (var record in context.Get<DriverCatalog>().ListAsync(query, cancellationToken))
            {
                records.Add(record);
            }

            if (parseResult.GetValue(json))
            {
                CliJson.Write(context.Out, new JsonObject { ["drivers"] = new JsonArray(records.Select(r => (JsonNode)DriverJson.ToJson(r)).ToArray()) });
            }
            else
            {
                DriverTable.Write(context, records);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
