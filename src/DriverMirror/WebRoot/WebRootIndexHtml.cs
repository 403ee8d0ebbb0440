using System.Globalization;
using System.Net;
using System.Text;

namespace DriverMirror.WebRoot;

/// <summary>Renders the <see cref="WebRootIndex"/> as <c>index.html</c>: an autoindex-like page with checksums and states.</summary>
public static class WebRootIndexHtml
{
    /// <summary>Renders the page.</summary>
    public static string Render(WebRootIndex index)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rancher driver mirror</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}code{font-size:.85em}.failed{color:#b00}.ready{color:#070}</style>\n")
            .Append("</head><body>\n<h1>Rancher driver mirror</h1>\n")
            .Append(CultureInfo.InvariantCulture, $"<p>Generated {E(index.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))}. Machine-readable: <a href=\"index.json\">index.json</a>.</p>\n")
            .Append("<table>\n<tr><th>Driver</th><th>State</th><th>Platform</th><th>File</th><th>Size</th><th>SHA-256</th><th>Upstream</th></tr>\n");
        foreach (var driver in index.Drivers)
        {
            var state = $"<td class=\"{E(driver.State)}\" title=\"{E(driver.Message)}\">{E(driver.State)}{(driver.Active ? "" : " (inactive)")}{(driver.UpstreamChanged ? " — upstream changed" : "")}</td>";
            if (driver.Artifacts.Count == 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(driver.Name)}</td>{state}<td colspan=\"5\">{E(driver.Message)}</td></tr>\n");
                continue;
            }

            foreach (var artifact in driver.Artifacts)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(driver.Name)}</td>{state}<td>{E(artifact.Arch)}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{E(artifact.Url)}\">{E(artifact.FileName)}</a></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{artifact.Size}</td><td><code>{E(artifact.Sha256)}</code></td><td>{E(artifact.UpstreamUrl)}</td></tr>\n");
            }

            if (driver.Ui is { } ui)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(driver.Name)}</td>{state}<td>ui</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td><a href=\"{E(ui.Url)}\">{E(ui.FileName)}</a>{(ui.StylesheetUrl is { } css ? $" + <a href=\"{E(css)}\">stylesheet</a>" : "")}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{ui.Size}</td><td><code>{E(ui.Sha256)}</code></td><td>{E(ui.UpstreamUrl)}</td></tr>\n");
            }
        }

        html.Append("</table>\n</body></html>\n");
        return html.ToString();
    }
}
