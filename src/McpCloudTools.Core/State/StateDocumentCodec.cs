using System.Collections.Immutable;
using System.Text.Json;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;

namespace McpCloudTools.Core.State;

/// <summary>A state document read back: the state (migrated to the current schema), its revision, and the schema it had.</summary>
/// <param name="State">The state, in the current schema.</param>
/// <param name="Revision">The revision the document carried (0 before schema 3).</param>
/// <param name="SchemaVersion">The schema the document was written in; below the current one it needs saving again.</param>
public sealed record DecodedState(RegistryState State, long Revision, int SchemaVersion);

/// <summary>
/// The state document, one format for every store: the same JSON (schema <see cref="CurrentSchemaVersion"/>) in the
/// state file and in PostgreSQL, and the same migrations from older schemas. Refusals name where the document was read
/// (<paramref name="what"/>: "The state file /x/state.json") and what to do (<paramref name="remedy"/>).
/// </summary>
public sealed class StateDocumentCodec(string what, string remedy)
{
    /// <summary>The schema this version writes.</summary>
    public const int CurrentSchemaVersion = StateDocument.CurrentSchemaVersion;

    /// <summary>The document for <paramref name="state"/> at <paramref name="revision"/>, as UTF-8 JSON.</summary>
    public static byte[] Encode(RegistryState state, long revision) =>
        JsonSerializer.SerializeToUtf8Bytes(ToDocument(state, revision), StateJsonContext.Default.StateDocument);

    /// <summary>
    /// Reads a document of any known schema; <paramref name="legacyCreatedAt"/> is the creation time given to instances
    /// of a schema-1 document (which kept none). Throws <see cref="StateFileException"/> when it is corrupt or newer.
    /// </summary>
    public DecodedState Decode(byte[] bytes, DateTimeOffset legacyCreatedAt)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var root = Parse(bytes);
        int version = root.TryGetProperty("schemaVersion", out var sv) && sv.TryGetInt32(out var v) ? v
            : root.TryGetProperty("version", out var lv) && lv.TryGetInt32(out var l) ? l
            : root.TryGetProperty("plugins", out _) ? 1
            : 0;
        switch (version)
        {
            case StateDocument.CurrentSchemaVersion:
            case 2:
                var doc = Deserialize(root, StateJsonContext.Default.StateDocument);
                return new DecodedState(FromDocument(doc), version == 2 ? 0 : doc.Revision, version);
            case 1:
                return new DecodedState(Migrate(Deserialize(root, StateJsonContext.Default.LegacyStateDocument), legacyCreatedAt), 0, 1);
            case > StateDocument.CurrentSchemaVersion:
                throw new StateFileException(
                    $"{what} has schema version {version}, written by a newer McpCloudTools (this one reads up to {StateDocument.CurrentSchemaVersion}). " +
                    $"Upgrade McpCloudTools, or start with --state <other path>. It was left untouched.");
            default:
                throw Corrupt("it has no schemaVersion");
        }
    }

    /// <summary>The revision a document carries (0: none, or unreadable).</summary>
    public long Revision(byte[] bytes) =>
        Parse(bytes).TryGetProperty("revision", out var r) && r.TryGetInt64(out var revision) ? revision : 0;

    private JsonElement Parse(byte[] bytes)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Corrupt($"it is not valid JSON ({e.Message})", e);
        }

        return root.ValueKind == JsonValueKind.Object ? root : throw Corrupt("its top level is not a JSON object");
    }

    private T Deserialize<T>(JsonElement root, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info)
    {
        try
        {
            return root.Deserialize(info) ?? throw Corrupt("it is empty");
        }
        catch (JsonException e)
        {
            throw Corrupt($"a value has the wrong shape ({e.Message})", e);
        }
    }

    private StateFileException Corrupt(string why, Exception? inner = null) =>
        new($"{what} is unreadable: {why}. It was left untouched; {remedy}.", inner);

    private RegistryState FromDocument(StateDocument doc)
    {
        var instances = new List<PluginInstance>();
        foreach (var i in doc.Instances)
        {
            if (string.IsNullOrWhiteSpace(i.Id) || string.IsNullOrWhiteSpace(i.Type))
            {
                throw Corrupt("an instance has no id or type");
            }

            if (instances.Any(x => string.Equals(x.Id, i.Id, StringComparison.OrdinalIgnoreCase)))
            {
                throw Corrupt($"instance id '{i.Id}' appears twice");
            }

            instances.Add(new PluginInstance(i.Id, i.Type, i.DisplayName ?? i.Id, i.Config.ToImmutableSortedDictionary(StringComparer.Ordinal),
                i.Enabled, i.CreatedAt, Math.Max(1, i.ConfigVersion)));
        }

        var clusters = new List<ClusterInfo>();
        foreach (var c in doc.Clusters)
        {
            if (string.IsNullOrWhiteSpace(c.Id) || string.IsNullOrWhiteSpace(c.PluginType))
            {
                throw Corrupt("a cluster has no id or plugin type");
            }

            if (clusters.Any(x => string.Equals(x.Id, c.Id, StringComparison.OrdinalIgnoreCase)))
            {
                throw Corrupt($"cluster id '{c.Id}' appears twice");
            }

            var source = string.Equals(c.Source, "discovered", StringComparison.OrdinalIgnoreCase) ? ClusterSource.Discovered : ClusterSource.Manual;
            clusters.Add(new ClusterInfo(c.Id, c.Name, c.Region, c.PluginType, c.InstanceId, c.Config.ToImmutableSortedDictionary(StringComparer.Ordinal), source));
        }

        var active = new ActiveClusterMap(doc.ActiveClusters?.Global ?? doc.ActiveCluster,
            (doc.ActiveClusters?.Callers ?? []).Where(kv => !string.IsNullOrWhiteSpace(kv.Key) && !string.IsNullOrWhiteSpace(kv.Value))
                .ToImmutableSortedDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
        var known = doc.KnownTypes.Concat(instances.Select(i => i.Type)).ToImmutableSortedSet(StringComparer.Ordinal);
        return new RegistryState([.. instances], [.. clusters],
            active.Keeping(id => clusters.Any(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase))), known);
    }

    private static StateDocument ToDocument(RegistryState s, long revision) => new()
    {
        Revision = revision,
        WrittenBy = typeof(JsonFileStateStore).Assembly.GetName().Version?.ToString(3),
        KnownTypes = [.. s.KnownTypes],
        Instances = [.. s.Instances.Select(i => new InstanceDocument
        {
            Id = i.Id, Type = i.Type, DisplayName = i.DisplayName, Config = new(i.Config), Enabled = i.Enabled,
            CreatedAt = i.CreatedAt, ConfigVersion = i.ConfigVersion,
        })],
        Clusters = [.. s.Clusters.Select(c => new ClusterDocument
        {
            Id = c.Id, Name = c.Name, Region = c.Region, PluginType = c.PluginType, InstanceId = c.InstanceId,
            Config = new(c.Config), Source = c.Source == ClusterSource.Discovered ? "discovered" : "manual",
        })],
        ActiveClusters = s.ActiveClusters.Global is null && s.ActiveClusters.BySubject.Count == 0 ? null : new ActiveClustersDocument
        {
            Global = s.ActiveClusters.Global,
            Callers = s.ActiveClusters.BySubject.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        },
    };

    /// <summary>Schema 1 → 3: dictionaries become ordered lists, names become display names, types become known.</summary>
    private RegistryState Migrate(LegacyStateDocument legacy, DateTimeOffset createdAt)
    {
        var doc = new StateDocument
        {
            Instances = [.. legacy.Plugins.Select(p => new InstanceDocument
            {
                Id = p.Key, Type = p.Value.Type ?? throw Corrupt($"plugin '{p.Key}' has no type"), DisplayName = p.Value.Name,
                Config = p.Value.Config, Enabled = p.Value.Enabled, CreatedAt = createdAt,
            })],
            Clusters = [.. legacy.Clusters.Select(c => new ClusterDocument
            {
                Id = c.Value.ClusterId ?? c.Key, Name = c.Value.Name ?? c.Key, Region = c.Value.Region ?? "",
                PluginType = c.Value.PluginType ?? throw Corrupt($"cluster '{c.Key}' has no plugin_type"), Config = c.Value.Config,
            })],
            ActiveCluster = legacy.ActiveCluster,
        };
        doc.KnownTypes = [.. doc.Instances.Select(i => i.Type).Distinct()];
        return FromDocument(doc);
    }
}
