using System.Globalization;
using System.Text.Json;

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

/// <summary>
/// Reads a <c>meta.k8s.io/v1 Table</c> of pods into <see cref="PodTableRow"/>s, finding the columns by name. A
/// forward-only reader over the page's bytes: a 20,000-pod scan is 180,000 cells, too many for a document per cell.
/// </summary>
internal static class KubePodTable
{
    /// <summary>The rows, or null when the body is not a pod Table with the columns the list needs.</summary>
    public static PodTablePage? Read(ReadOnlySpan<byte> json, string? ns)
    {
        try
        {
            return Parse(json, ns);
        }
        catch (JsonException)
        {
            // Not JSON a Table reader understands: the caller reads the objects instead.
            return null;
        }
    }

    private static PodTablePage? Parse(ReadOnlySpan<byte> json, string? ns)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        string? kind = null, next = null;
        List<string>? columns = null;
        var rows = new List<(string[] Cells, RowMeta Meta)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8)) kind = ReadString(ref reader);
            else if (reader.ValueTextEquals("metadata"u8)) next = ReadProperty(ref reader, "continue"u8);
            else if (reader.ValueTextEquals("columnDefinitions"u8)) columns = ReadColumns(ref reader);
            else if (reader.ValueTextEquals("rows"u8)) ReadRows(ref reader, rows);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (kind != "Table" || columns is null) return null;
        int Column(string name) => columns.FindIndex(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        int name = Column("Name"), ready = Column("Ready"), status = Column("Status"), restarts = Column("Restarts"), node = Column("Node");
        if (name < 0 || ready < 0 || status < 0 || restarts < 0 || node < 0) return null;
        var needed = Math.Max(Math.Max(name, ready), Math.Max(Math.Max(status, restarts), node));
        var result = new List<PodTableRow>(rows.Count);
        foreach (var (cells, meta) in rows)
        {
            if (cells.Length <= needed || (meta.Namespace ?? ns) is not { } podNamespace) return null;
            result.Add(new PodTableRow(podNamespace, meta.Name ?? cells[name], cells[ready], cells[status], LeadingNumber(cells[restarts]),
                cells[node] == "<none>" ? "" : cells[node],
                meta.Created is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null, meta.Deleting));
        }
        return new PodTablePage(result, next is { Length: > 0 } ? next : null);
    }

    private readonly record struct RowMeta(string? Name, string? Namespace, DateTime? Created, bool Deleting);

    private static List<string> ReadColumns(ref Utf8JsonReader reader)
    {
        var columns = new List<string>();
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return columns;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8)) name = ReadString(ref reader);
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            columns.Add(name ?? "");
        }
        return columns;
    }

    private static void ReadRows(ref Utf8JsonReader reader, List<(string[] Cells, RowMeta Meta)> rows)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }
        var cells = new List<string>(9);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            cells.Clear();
            var meta = default(RowMeta);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("cells"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        cells.Add(reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString() ?? "",
                            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                            _ => "",
                        });
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("object"u8)) meta = ReadRowObject(ref reader);
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            rows.Add(([.. cells], meta));
        }
    }

    // A row's object (PartialObjectMetadata or the pod): only its metadata's name, namespace and timestamps.
    private static RowMeta ReadRowObject(ref Utf8JsonReader reader)
    {
        var meta = default(RowMeta);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return meta;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("name"u8)) meta = meta with { Name = ReadString(ref reader) };
                else if (reader.ValueTextEquals("namespace"u8)) meta = meta with { Namespace = ReadString(ref reader) };
                else if (reader.ValueTextEquals("creationTimestamp"u8)) meta = meta with { Created = ReadTime(ref reader) };
                else if (reader.ValueTextEquals("deletionTimestamp"u8)) meta = meta with { Deleting = ReadString(ref reader) is { Length: > 0 } };
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        return meta;
    }

    // The value of one string property of an object (the list metadata's "continue"), skipping the rest.
    private static string? ReadProperty(ref Utf8JsonReader reader, ReadOnlySpan<byte> property)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(property)) value = ReadString(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return value;
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    private static DateTime? ReadTime(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var at)) return at.ToUniversalTime();
        reader.Skip();
        return null;
    }

    // RESTARTS is a number on older servers and "3 (5m ago)" on newer ones.
    private static int LeadingNumber(string text)
    {
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        return int.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}
