using System.Reflection;
using System.Text.Json;

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

/// <summary>
/// The text arguments of one tool, read once from its method's parameters, and the check every call's arguments
/// pass before the tool runs. Attached to the tool's metadata by the tool factory.
/// </summary>
public sealed class ToolArguments(IReadOnlyList<ToolArgument> items)
{
    private static readonly TextRule MapKey = new("a key", 256);

    /// <summary>The arguments that carry text.</summary>
    public IReadOnlyList<ToolArgument> Items => items;

    /// <summary>
    /// Reads the text parameters of a tool method and their rules: an <see cref="ArgumentRuleAttribute"/>, else the
    /// rule of a shared parameter (<c>instance</c>, <c>cluster_id</c>, <c>cursor</c>), else <see cref="TextRule.Default"/>.
    /// </summary>
    public static ToolArguments Of(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var found = new List<ToolArgument>();
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.Name is not { } name || ShapeOf(parameter.ParameterType) is not { } shape) continue;
            var rule = parameter.GetCustomAttribute<ArgumentRuleAttribute>()?.Rule ?? Plugins.ToolParams.RuleFor(name) ?? TextRule.Default;
            found.Add(new ToolArgument(name, shape, !parameter.HasDefaultValue, rule));
        }
        return new ToolArguments(found);
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
        foreach (var argument in items)
        {
            if (!given.TryGetValue(argument.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (argument.Required && argument.Shape == ArgumentShape.Text) throw ArgumentError.Missing(argument.Name, argument.Rule);
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

    private static ArgumentShape? ShapeOf(Type type)
    {
        if (type == typeof(string)) return ArgumentShape.Text;
        if (typeof(IEnumerable<KeyValuePair<string, string>>).IsAssignableFrom(type)) return ArgumentShape.TextMap;
        if (typeof(IEnumerable<string>).IsAssignableFrom(type)) return ArgumentShape.TextList;
        return null;
    }
}
