using DriverMirror.Catalog;
using Spectre.Console;

namespace DriverMirror.Cli.Output;

/// <summary>The driver list: a Spectre table on a terminal, padded plain columns otherwise.</summary>
internal static class DriverTable
{
    private static readonly string[] Headers = ["NAME", "KIND", "BUILTIN", "ACTIVE", "STATE", "URL", "SHA256"];

    public static void Write(CliContext context, IReadOnlyList<DriverRecord> records)
    {
        if (records.Count == 0)
        {
            context.Out.WriteLine("No drivers.");
            return;
        }

        var rows = records.Select(Row).ToList();
        if (!context.Interactive)
        {
            PlainTable.Write(context.Out, Headers, rows);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in Headers)
        {
            table.AddColumn(new TableColumn(header));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        context.Console.Write(table);
    }

    private static IReadOnlyList<string> Row(DriverRecord record) =>
    [
        record.Name,
        DriverWords.Kind(record.Spec.Kind),
        DriverWords.YesNo(record.Spec.Builtin),
        DriverWords.YesNo(record.Spec.Active),
        DriverWords.State(record.Status.State),
        DriverWords.Url(record),
        DriverWords.ShortSha256(record),
    ];
}
