using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace McpCloudTools.ToolManifest;

/// <summary>
/// A <c>[McpServerTool]</c> method's <c>ToolManifestEntry</c>: name, title, description, the four annotations, the
/// compact input schema, the attributes the server reads and every parameter.
/// </summary>
internal static class ToolEntry
{
    private const string Attribute = "ModelContextProtocol.Server.McpServerToolAttribute";

    public static string Code(IMethodSymbol method, AttributeData attribute, string className, Action<string> fail)
    {
        var where = $"Tool method {method.ContainingType.Name}.{method.Name}";
        McpMethod.CheckShape(method, Attribute, where, fail);

        string? name = null, title = null;
        bool? readOnly = null, destructive = null, idempotent = null, openWorld = null;
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Name": name = argument.Value.Value as string; break;
                case "Title": title = argument.Value.Value as string; break;
                case "ReadOnly": readOnly = (bool?)argument.Value.Value; break;
                case "Destructive": destructive = (bool?)argument.Value.Value; break;
                case "Idempotent": idempotent = (bool?)argument.Value.Value; break;
                case "OpenWorld": openWorld = (bool?)argument.Value.Value; break;
                case "UseStructuredContent" when argument.Value.Value is false: break;
                default:
                    fail($"{where} sets {argument.Key} on [McpServerTool], which the build-time tool manifest does not reproduce " +
                         "(supported: Name, Title, ReadOnly, Destructive, Idempotent, OpenWorld).");
                    break;
            }
        }

        name ??= McpMethod.DefaultName(method);
        var description = McpMethod.Description(method) ?? "";
        var facts = method.ContainingType.GetAttributes().Concat(method.GetAttributes())
            .Where(a => a.AttributeClass?.ToDisplayString() is "McpCloudTools.Core.Safety.SensitiveDataAttribute"
                or "McpCloudTools.Core.Safety.RequiresGrantAttribute" or "McpCloudTools.Core.Mcp.WaitsUpToAttribute")
            .Select(Literals.New).ToList();

        var parameters = new List<string>();
        var schema = new InputSchema();
        foreach (var parameter in method.Parameters)
        {
            var rule = parameter.GetAttributes().FirstOrDefault(a => DerivesFrom(a.AttributeClass, "McpCloudTools.Core.Validation.ArgumentRuleAttribute"));
            var declared = parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            parameters.Add($"new global::McpCloudTools.Core.Plugins.Manifest.ToolParameter({Literals.String(parameter.Name)}, typeof({declared}), " +
                           $"{(parameter.HasExplicitDefaultValue ? "true" : "false")}, {(rule is null ? "null" : Literals.New(rule))})");
            if (!McpMethod.IsInjected(parameter, "ModelContextProtocol.Protocol.CallToolRequestParams"))
            {
                schema.Add(parameter, where);
            }
        }

        static string Bool(bool? b) => b switch { true => "true", false => "false", _ => "null" };
        return new StringBuilder()
            .Append("                new(").Append(Literals.String(method.Name)).Append(", ").Append(Literals.String(name)).Append(", ")
            .Append(title is null ? "null" : Literals.String(title)).Append(", ").Append(Literals.String(description)).AppendLine(",")
            .Append("                    ").Append(Bool(readOnly)).Append(", ").Append(Bool(destructive)).Append(", ")
            .Append(Bool(idempotent)).Append(", ").Append(Bool(openWorld)).AppendLine(",")
            .Append("                    ").Append(Literals.String(schema.ToJson())).AppendLine(",")
            .Append("                    new global::System.Attribute[] { ").Append(string.Join(", ", facts)).AppendLine(" },")
            .AppendLine("                    new global::McpCloudTools.Core.Plugins.Manifest.ToolParameter[]")
            .AppendLine("                    {")
            .Append(string.Concat(parameters.Select(p => "                        " + p + ",\n")))
            .AppendLine("                    },")
            .Append("                    static f => f.Create<").Append(className).Append(">(").Append(Literals.String(method.Name)).AppendLine(")),")
            .ToString();
    }

    private static bool DerivesFrom(INamedTypeSymbol? type, string baseName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == baseName) return true;
        }

        return false;
    }
}
