using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace McpCloudTools.ToolManifest;

/// <summary>
/// A <c>[McpServerPrompt]</c> method's <c>PromptManifestEntry</c>: what the SDK's <c>AIFunctionMcpServerPrompt</c> puts
/// in the protocol prompt. Name (the attribute's, else the derived one), title, the method's description ("" without
/// one), and one argument per parameter the SDK does not bind itself, in order: its name, its <c>[Description]</c>
/// (what the schema exporter writes as the property's description) and whether it is required (no default value).
/// </summary>
internal static class PromptEntry
{
    private const string Attribute = "ModelContextProtocol.Server.McpServerPromptAttribute";

    public static string Code(IMethodSymbol method, AttributeData attribute, string className, Action<string> fail)
    {
        var where = $"Prompt method {method.ContainingType.Name}.{method.Name}";
        McpMethod.CheckShape(method, Attribute, where, fail);

        string? name = null, title = null;
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Name": name = argument.Value.Value as string; break;
                case "Title": title = argument.Value.Value as string; break;
                default:
                    fail($"{where} sets {argument.Key} on [McpServerPrompt], which the build-time prompt manifest does not reproduce (supported: Name, Title).");
                    break;
            }
        }

        name ??= McpMethod.DefaultName(method);
        var description = McpMethod.Description(method) ?? "";
        var arguments = new List<string>();
        foreach (var parameter in method.Parameters.Where(p => !McpMethod.IsInjected(p, "ModelContextProtocol.Protocol.GetPromptRequestParams")))
        {
            var kind = InputSchema.KindOf(parameter, where);
            var about = McpMethod.Description(parameter);
            var required = McpMethod.IsRequired(parameter);
            if (kind == "any" && about is null && required)
            {
                // Its schema is the bare `true`, which the SDK cannot read a description from: creating the prompt fails.
                fail($"{where}: parameter '{parameter.Name}' is a required JsonElement without [Description], which the SDK cannot turn into a " +
                     "prompt argument. Give it a [Description] (prompt arguments are usually strings).");
            }

            arguments.Add($"new({Literals.String(parameter.Name)}, {(about is null ? "null" : Literals.String(about))}, {(required ? "true" : "false")})");
        }

        return new StringBuilder()
            .Append("                new(").Append(Literals.String(method.Name)).Append(", ").Append(Literals.String(name)).Append(", ")
            .Append(title is null ? "null" : Literals.String(title)).Append(", ").Append(Literals.String(description)).AppendLine(",")
            .AppendLine("                    new global::McpCloudTools.Core.Plugins.Manifest.PromptManifestArgument[]")
            .AppendLine("                    {")
            .Append(string.Concat(arguments.Select(a => "                        " + a + ",\n")))
            .AppendLine("                    },")
            .Append("                    static f => f.Create<").Append(className).Append(">(").Append(Literals.String(method.Name)).AppendLine(")),")
            .ToString();
    }
}
