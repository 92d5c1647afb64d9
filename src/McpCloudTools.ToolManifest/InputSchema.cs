using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace McpCloudTools.ToolManifest;

/// <summary>
/// A tool's input schema as the SDK writes it (through <c>AIJsonUtilities</c>' schema exporter) for the parameter
/// types tools use, already in <c>ToolSchema.Compact</c>'s form: an optional parameter's type without <c>"null"</c>
/// (and its items'), and no <c>"default"</c> of null or false. Property order is the exporter's: description, type,
/// enum, items or additionalProperties, default. Anything else is refused (<see cref="NotSupportedException"/>).
/// </summary>
internal sealed class InputSchema
{
    private readonly StringBuilder _properties = new();
    private readonly List<string> _required = [];

    public void Add(IParameterSymbol parameter, string where)
    {
        var type = parameter.Type;
        var nullable = false;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapped)
        {
            type = wrapped.TypeArguments[0];
            nullable = true;
        }
        else if (type.IsReferenceType)
        {
            nullable = parameter.NullableAnnotation != NullableAnnotation.NotAnnotated;
        }

        var required = McpMethod.IsRequired(parameter);
        var compact = !required;
        var description = McpMethod.Description(parameter);
        var members = new List<string>();
        if (description is not null) members.Add($"\"description\":{Json.String(description)}");

        string? TypeOf(string name) => nullable && !compact ? $"[\"{name}\",\"null\"]" : $"\"{name}\"";
        var kind = Classify(type, parameter, where);
        switch (kind)
        {
            case "any":
                break;
            case "enum":
                members.Add($"\"type\":{TypeOf("string")}");
                var names = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => Json.String(f.Name)).ToList();
                if (nullable) names.Add("null");
                members.Add($"\"enum\":[{string.Join(",", names)}]");
                break;
            case "array":
                members.Add($"\"type\":{TypeOf("array")}");
                members.Add($"\"items\":{{\"type\":{TypeOf("string")}}}");
                break;
            case "map":
                members.Add($"\"type\":{TypeOf("object")}");
                members.Add($"\"additionalProperties\":{{\"type\":{(nullable ? "[\"string\",\"null\"]" : "\"string\"")}}}");
                break;
            default:
                members.Add($"\"type\":{TypeOf(kind)}");
                break;
        }

        if (parameter.HasExplicitDefaultValue)
        {
            var value = parameter.ExplicitDefaultValue;
            if (!(compact && (value is null || value is false)))
            {
                members.Add($"\"default\":{Default(value, type, kind, where, parameter.Name)}");
            }
        }
        else
        {
            _required.Add(Json.String(parameter.Name));
        }

        if (_properties.Length > 0) _properties.Append(',');
        _properties.Append(Json.String(parameter.Name)).Append(':')
            .Append(kind == "any" && description is null && required ? "true" : "{" + string.Join(",", members) + "}");
    }

    public string ToJson() =>
        "{\"type\":\"object\",\"properties\":{" + _properties + "}" +
        (_required.Count > 0 ? ",\"required\":[" + string.Join(",", _required) + "]" : "") + "}";

    /// <summary>
    /// The schema kind of an argument (string, boolean, integer, number, enum, array, map, any; a nullable's is its
    /// value's); throws for a type the manifest cannot describe, such as a service the SDK would bind from the container.
    /// </summary>
    public static string KindOf(IParameterSymbol parameter, string where) =>
        Classify(parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapped ? wrapped.TypeArguments[0] : parameter.Type,
            parameter, where);

    private static string Classify(ITypeSymbol type, IParameterSymbol parameter, string where)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return "string";
            case SpecialType.System_Boolean: return "boolean";
            case SpecialType.System_Int32 or SpecialType.System_Int64: return "integer";
            case SpecialType.System_Double: return "number";
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            if (type.GetAttributes().Any(a => a.AttributeClass?.Name != "FlagsAttribute") || type.GetMembers().Any(m => m.GetAttributes().Length > 0))
            {
                throw Unsupported(where, parameter, "an enum with attributes (its JSON names could differ from its member names)");
            }

            return "enum";
        }

        if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_String })
        {
            return "array";
        }

        if (type is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic")
        {
            var args = named.TypeArguments;
            if (named.Name is "List" or "IList" or "IReadOnlyList" or "IEnumerable" or "ICollection" or "IReadOnlyCollection" &&
                args.Length == 1 && args[0].SpecialType == SpecialType.System_String)
            {
                return "array";
            }

            if (named.Name is "Dictionary" or "IDictionary" or "IReadOnlyDictionary" && args.Length == 2 &&
                args[0].SpecialType == SpecialType.System_String && args[1].SpecialType == SpecialType.System_String)
            {
                return "map";
            }
        }

        if (type.ToDisplayString() == "System.Text.Json.JsonElement")
        {
            return "any";
        }

        throw Unsupported(where, parameter, type.ToDisplayString());
    }

    private static NotSupportedException Unsupported(string where, IParameterSymbol parameter, string what) =>
        new($"{where}: parameter '{parameter.Name}' is {what}, which the build-time manifest cannot describe. " +
            "Use string, int, long, double or bool (or their nullables), an enum without attributes, string[] / List<string>, " +
            "Dictionary<string, string> or JsonElement; take services through the class's constructor.");

    private static string Default(object? value, ITypeSymbol type, string kind, string where, string name)
    {
        switch (value)
        {
            case null: return "null";
            case bool b: return b ? "true" : "false";
            case string s: return Json.String(s);
        }

        if (kind == "enum")
        {
            var member = type.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, value));
            return member is not null ? Json.String(member.Name)
                : throw new NotSupportedException($"{where}: the default of '{name}' is not a member of {type.Name}.");
        }

        return value switch
        {
            int i => i.ToString(CultureInfo.InvariantCulture),
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d when !double.IsNaN(d) && !double.IsInfinity(d) => d.ToString("R", CultureInfo.InvariantCulture),
            _ => throw new NotSupportedException($"{where}: the default of '{name}' ({value}) cannot be written to the manifest."),
        };
    }
}

/// <summary>JSON text, escaped minimally (the SDK's writer re-escapes strings when it sends a schema).</summary>
internal static class Json
{
    public static string String(string value)
    {
        var s = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case < ' ': s.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: s.Append(c); break;
            }
        }

        return s.Append('"').ToString();
    }
}

/// <summary>C# source for constant values and attribute instances.</summary>
internal static class Literals
{
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary><c>new Attribute(args) { Named = value }</c>, exactly as declared.</summary>
    public static string New(AttributeData attribute)
    {
        var type = attribute.AttributeClass!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var args = string.Join(", ", attribute.ConstructorArguments.Select(Of));
        var named = attribute.NamedArguments.Select(a => $"{a.Key} = {Of(a.Value)}").ToList();
        return $"new {type}({args})" + (named.Count > 0 ? " { " + string.Join(", ", named) + " }" : "");
    }

    private static string Of(TypedConstant constant)
    {
        var type = constant.Type?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? "object";
        return constant.Kind switch
        {
            TypedConstantKind.Array => constant.IsNull ? $"({type})null" : $"new {type} {{ {string.Join(", ", constant.Values.Select(Of))} }}",
            TypedConstantKind.Type => $"typeof({((ITypeSymbol)constant.Value!).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})",
            TypedConstantKind.Enum => $"({type})({SymbolDisplay.FormatPrimitive(constant.Value!, quoteStrings: true, useHexadecimalNumbers: false)})",
            TypedConstantKind.Primitive when constant.IsNull => $"({type})null",
            TypedConstantKind.Primitive => $"({type})({SymbolDisplay.FormatPrimitive(constant.Value!, quoteStrings: true, useHexadecimalNumbers: false)})",
            _ => throw new NotSupportedException($"An attribute argument of {type} cannot be written to the manifest."),
        };
    }
}
