namespace DriverMirror.Cli.Output;

/// <summary>
/// Columns padded with spaces, no borders, no colour, one row per line: what <c>grep</c>, <c>awk</c> and CI logs want
/// when stdout is not a terminal.
/// </summary>
internal static class PlainTable
{
    public static void Write(TextWriter writer, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        WriteRow(writer, headers, widths);
        foreach (var row in rows)
        {
            WriteRow(writer, row, widths);
        }
    }

    private static void WriteRow(TextWriter writer, IReadOnlyList<string> cells, int[] widths)
    {
        var padded = cells.Select((cell, column) => column == cells.Count - 1 ? cell : cell.PadRight(widths[column]));
        writer.WriteLine(string.Join("  ", padded).TrimEnd());
    }
}
