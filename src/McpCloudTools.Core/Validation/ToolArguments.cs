using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace McpCloudTools.Core.Validation;

/// <summary>How a tool parameter carries text.</summary>
public enum ArgumentShape
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A list of strings; the rule applies to each item.</summary>
    TextList,

    /// <summary>A string-to-string map; the rule applies to each value, keys are one line each.</summary>
    TextMap,
}

/// <summary>One text-carrying parameter of a tool and the rule its values follow.</summary>
/// <param name="Name">The argument's name as clients send it.</param>
/// <param name="Shape">String, list or map.</param>
/// <param name="Required">Whether the tool needs it (no default value).</param>
/// <param name="Rule">The declared rule, or <see cref="TextRule.Default"/>.</param>
public sealed record ToolArgument(string Name, ArgumentShape Shape, bool Required, ArgumentRule Rule);

/// <summary>One argument a client sends (a parameter of the tool's input schema) and how it binds to the method.</summary>
/// <param name="Name">The argument's name.</param>
/// <param name="Required">Whether the schema requires it.</param>
/// <param name="Expected">What the schema says it is (<c>an integer</c>, <c>a list of strings</c>…).</param>
/// <param name="TypeInfo">How it deserializes into the method's parameter.</param>
public sealed record BoundArgument(string Name, bool Required, string Expected, JsonTypeInfo TypeInfo);

/// <summary>
/// The arguments of one tool, read once from its method's parameters, and the check every call's arguments pass
/// before the tool runs: each bound exactly as the SDK will bind it (present when required, of the right JSON type),
/// and each text value against its rule. A call that fails it never reaches the tool, so a failure inside the tool is
/// the tool's own. Attached to the tool's metadata by the tool factory, bound to the input schema by
/// <see cref="Plugins.ToolDescriptor.Describe"/>.
/// </summary>
public sealed class ToolArguments(IReadOnlyList<ToolArgument> items)
{
    private static readonly TextRule MapKey = new("a key", 256);
    private readonly IReadOnlyList<(string Name, Type Type)> _parameters = [];
    private readonly JsonSerializerOptions? _options;
    private Lazy<IReadOnlyList<BoundArgument>> _bound = new(() => []);

    private ToolArguments(IReadOnlyList<ToolArgument> items, IReadOnlyList<(string, Type)> parameters, JsonSerializerOptions options)
        : this(items)
    {
        _parameters = parameters;
        _options = options;
    }

    /// <summary>The arguments that carry text.</summary>
    public IReadOnlyList<ToolArgument> Items => items;

    /// <summary>Every argument of the input schema, with how it binds.</summary>
    public IReadOnlyList<BoundArgument> Bound => _bound.Value;

    /// <summary>
    /// Reads a tool method's parameters: the text ones with their rules (see <see cref="Of(MethodInfo)"/>), and every
    /// one's type, to bind arguments with <paramref name="options"/> (the tool's serializer options) once the input
    /// schema says which of them clients send.
    /// </summary>
    public static ToolArguments Of(MethodInfo method, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Of(ParametersOf(method), options);
    }

    /// <summary>
    /// The same from parameters the build-time tool manifest recorded (no reflection): what
    /// <see cref="Of(MethodInfo, JsonSerializerOptions)"/> reads from the method.
    /// </summary>
    public static ToolArguments Of(IEnumerable<Plugins.Manifest.ToolParameter> parameters, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        var all = parameters.ToList();
        return new ToolArguments(TextArguments(all), [.. all.Select(p => (p.Name, p.Type))], options);
    }

    /// <summary>
    /// Binds the parameters to the tool's input schema: the ones it lists are what clients send (the others are
    /// injected: services, the cancellation token, progress); its <c>required</c> list says which must be present.
    /// </summary>
    public ToolArguments BindTo(JsonElement inputSchema)
    {
        if (_options is null || inputSchema.ValueKind != JsonValueKind.Object || !inputSchema.TryGetProperty("properties", out var properties) ||
            properties.ValueKind != JsonValueKind.Object)
        {
            return this;
        }

        // Bound on the first call (resolving each parameter's JSON contract is start-up time tools/list need not pay).
        var schema = inputSchema;
        var parameters = _parameters;
        var options = _options;
        return new ToolArguments(items, _parameters, _options) { _bound = new(() => Bind(schema, properties, parameters, options)) };
    }

    private static List<BoundArgument> Bind(JsonElement inputSchema, JsonElement properties, IReadOnlyList<(string Name, Type Type)> parameters, JsonSerializerOptions options)
    {
        var required = inputSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(n => n.GetString()).ToHashSet(StringComparer.Ordinal) : [];
        var bound = new List<BoundArgument>();
        foreach (var property in properties.EnumerateObject())
        {
            if (parameters.FirstOrDefault(p => p.Name == property.Name) is { Type: not null } parameter)
            {
                bound.Add(new BoundArgument(property.Name, required.Contains(property.Name), Expected(property.Value), options.GetTypeInfo(parameter.Type)));
            }
        }

        return bound;
    }

    /// <summary>
    /// Reads the text parameters of a tool method and their rules: an <see cref="ArgumentRuleAttribute"/>, else the
    /// rule of a shared parameter (<c>instance</c>, <c>cluster_id</c>, <c>cursor</c>), else <see cref="TextRule.Default"/>.
    /// </summary>
    public static ToolArguments Of(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new ToolArguments(TextArguments(ParametersOf(method)));
    }

    private static List<Plugins.Manifest.ToolParameter> ParametersOf(MethodInfo method) =>
    [
        .. method.GetParameters().Where(p => p.Name is not null)
            .Select(p => new Plugins.Manifest.ToolParameter(p.Name!, p.ParameterType, p.HasDefaultValue, p.GetCustomAttribute<ArgumentRuleAttribute>())),
    ];

    private static List<ToolArgument> TextArguments(IEnumerable<Plugins.Manifest.ToolParameter> parameters)
    {
        var found = new List<ToolArgument>();
        foreach (var parameter in parameters)
        {
            if (ShapeOf(parameter.Type) is not { } shape) continue;
            var rule = parameter.Rule?.Rule ?? Plugins.ToolParams.RuleFor(parameter.Name) ?? TextRule.Default;
            found.Add(new ToolArgument(parameter.Name, shape, !parameter.HasDefault, rule));
        }
        return found;
    }

    /// <summary>
    /// Checks a call's arguments: each declared rule, required text present, no null list items, and no value that
    /// arrived as broken Unicode (<paramref name="notUnicode"/>: argument name → what was wrong). Throws a
    /// <see cref="ToolException"/> naming the first argument at fault; arguments of other JSON types are left to binding.
    /// </summary>
    public void Check(IEnumerable<KeyValuePair<string, JsonElement>>? arguments, IReadOnlyDictionary<string, string>? notUnicode)
    {
        if (notUnicode is { Count: > 0 })
        {
            var first = notUnicode.First();
            throw ArgumentError.NotUnicode(first.Key, first.Value);
        }
        var given = arguments?.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal) ?? [];
        CheckTexts(given);
        foreach (var argument in _bound.Value)
        {
            if (!given.TryGetValue(argument.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (argument.Required) throw ArgumentError.MissingArgument(argument.Name, argument.Expected);
                continue;
            }
            try
            {
                value.Deserialize(argument.TypeInfo);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException)
            {
                throw ArgumentError.WrongType(argument.Name, argument.Expected, value);
            }
        }
    }

    private void CheckTexts(Dictionary<string, JsonElement> given)
    {
        foreach (var argument in items)
        {
            if (!given.TryGetValue(argument.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (argument.Required && argument.Shape == ArgumentShape.Text) throw ArgumentError.NotGiven(argument.Name, argument.Rule);
                continue;
            }
            switch (argument.Shape, value.ValueKind)
            {
                case (ArgumentShape.Text, JsonValueKind.String):
                    CheckText(argument.Name, value.GetString()!, argument.Required, argument.Rule);
                    break;
                case (ArgumentShape.TextList, JsonValueKind.Array):
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        var itemName = $"{argument.Name}[{index++}]";
                        if (item.ValueKind == JsonValueKind.Null) throw ArgumentError.NullItem(itemName, argument.Rule);
                        if (item.ValueKind != JsonValueKind.String) continue;
                        var text = item.GetString()!;
                        if (string.IsNullOrWhiteSpace(text)) throw ArgumentError.EmptyItem(itemName, argument.Rule);
                        CheckText(itemName, text, required: true, argument.Rule);
                    }
                    break;
                case (ArgumentShape.TextMap, JsonValueKind.Object):
                    foreach (var entry in value.EnumerateObject())
                    {
                        if (MapKey.Problem(entry.Name) is { } keyProblem)
                            throw ArgumentError.Invalid($"{argument.Name} key", entry.Name, keyProblem, MapKey);
                        if (entry.Value.ValueKind == JsonValueKind.String && argument.Rule.Problem(entry.Value.GetString()!) is { } problem)
                            throw ArgumentError.Invalid($"{argument.Name}.{entry.Name}", entry.Value.GetString()!, problem, argument.Rule);
                    }
                    break;
            }
        }
    }

    // Blank optional text means "not given" to every tool (they default it); blank required text is missing. A name is
    // checked exactly as given (what is checked is what is sent); free text may carry spaces around it, which tools trim.
    private static void CheckText(string name, string value, bool required, ArgumentRule rule)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) throw ArgumentError.Missing(name, rule);
            return;
        }
        if (rule.Problem(rule is NameRule ? value : value.Trim()) is { } problem) throw ArgumentError.Invalid(name, value, problem, rule);
    }

    private static string Expected(JsonElement schema)
    {
        // A schema may be `true` (any JSON value: a required JsonElement without a description).
        if (schema.ValueKind != JsonValueKind.Object) return "a JSON value";
        var type = schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : t.GetString()
            : null;
        var items = schema.TryGetProperty("items", out var i) && i.TryGetProperty("type", out var it) && it.ValueKind == JsonValueKind.String ? it.GetString() : null;
        return type switch
        {
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => items is null ? "a list" : $"a list of {items}s",
            "object" => "an object",
            _ => "a JSON value",
        };
    }

    private static ArgumentShape? ShapeOf(Type type)
    {
        if (type == typeof(string)) return ArgumentShape.Text;
        if (typeof(IEnumerable<KeyValuePair<string, string>>).IsAssignableFrom(type)) return ArgumentShape.TextMap;
        if (typeof(IEnumerable<string>).IsAssignableFrom(type)) return ArgumentShape.TextList;
        return null;
    }
}
