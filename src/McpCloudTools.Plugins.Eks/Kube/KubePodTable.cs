using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace McpCloudTools.Plugins.Eks.Kube;

/// <summary>One pod as the API server prints it (<c>kubectl get pods</c>): the columns the pod list needs and the pod's metadata.</summary>
/// <param name="Namespace">Namespace.</param>
/// <param name="Name">Pod name.</param>
/// <param name="Ready">READY, <c>1/2</c>.</param>
/// <param name="Status">STATUS as kubectl computes it (<c>Running</c>, <c>CrashLoopBackOff</c>, <c>Init:0/1</c>, <c>Terminating</c>…).</param>
/// <param name="Restarts">RESTARTS (the count before <c>(5m ago)</c>).</param>
/// <param name="Node">NODE, empty when not scheduled.</param>
/// <param name="Created">Creation time.</param>
/// <param name="Deleting">A deletion was requested (<c>metadata.deletionTimestamp</c>).</param>
public sealed record PodTableRow(string Namespace, string Name, string Ready, string Status, int Restarts, string Node, DateTimeOffset? Created, bool Deleting);

/// <summary>One page of a pod Table.</summary>
/// <param name="Rows">The rows.</param>
/// <param name="Continue">The continue token of the next page, or null.</param>
public sealed record PodTablePage(IReadOnlyList<PodTableRow> Rows, string? Continue);

/// <summary>Reads a <c>meta.k8s.io/v1 Table</c> of pods into <see cref="PodTableRow"/>s, finding the columns by name.</summary>
internal static class KubePodTable
{
    /// <summary>The rows, or null when the body is not a pod Table with the columns the list needs.</summary>
    public static PodTablePage? Read(TableWire table, string? ns)
    {
        if (table.Kind != "Table" || table.ColumnDefinitions is not { } columns || table.Rows is null) return null;
        int Column(string name) => columns.FindIndex(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        int name = Column("Name"), ready = Column("Ready"), status = Column("Status"), restarts = Column("Restarts"), node = Column("Node");
        if (name < 0 || ready < 0 || status < 0 || restarts < 0 || node < 0) return null;
        var rows = new List<PodTableRow>(table.Rows.Count);
        foreach (var row in table.Rows)
        {
            var cells = row.Cells;
            var meta = row.Object?.Metadata;
            if (cells is null || cells.Count <= Math.Max(Math.Max(name, ready), Math.Max(Math.Max(status, restarts), node))) return null;
            var podNamespace = meta?.Namespace ?? ns;
            if (podNamespace is null) return null;
            var nodeName = Text(cells[node]);
            rows.Add(new PodTableRow(podNamespace, meta?.Name ?? Text(cells[name]), Text(cells[ready]), Text(cells[status]), LeadingNumber(cells[restarts]),
                nodeName == "<none>" ? "" : nodeName,
                meta?.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
                meta?.DeletionTimestamp is not null));
        }
        return new PodTablePage(rows, table.Metadata?.Continue is { Length: > 0 } c ? c : null);
    }

    private static string Text(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString() ?? "",
        JsonValueKind.Number => cell.GetRawText(),
        _ => "",
    };

    // RESTARTS is a number on older servers and "3 (5m ago)" on newer ones.
    private static int LeadingNumber(JsonElement cell)
    {
        if (cell.ValueKind == JsonValueKind.Number) return cell.TryGetInt32(out var n) ? n : 0;
        var text = Text(cell);
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        return int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}

/// <summary>The parts of a <c>meta.k8s.io/v1 Table</c> the pod list reads.</summary>
internal sealed class TableWire
{
    public string? Kind { get; set; }

    public TableListMetaWire? Metadata { get; set; }

    public List<TableColumnWire>? ColumnDefinitions { get; set; }

    public List<TableRowWire>? Rows { get; set; }
}

internal sealed class TableListMetaWire
{
    [JsonPropertyName("continue")]
    public string? Continue { get; set; }
}

internal sealed class TableColumnWire
{
    public string? Name { get; set; }
}

internal sealed class TableRowWire
{
    public List<JsonElement>? Cells { get; set; }

#pragma warning disable CA1720 // "object" is the wire name of a row's object.
    public TableRowObjectWire? Object { get; set; }
#pragma warning restore CA1720
}

internal sealed class TableRowObjectWire
{
    public TableRowMetaWire? Metadata { get; set; }
}

internal sealed class TableRowMetaWire
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public DateTime? CreationTimestamp { get; set; }

    public DateTime? DeletionTimestamp { get; set; }
}
