using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace McpCloudTools.ToolManifest;

/// <summary>
/// How the SDK reads an attributed method, the same for tools and prompts: its default name, its <c>[Description]</c>,
/// which parameters it binds itself (left out of the input schema and of a prompt's arguments), which are required, and
/// the shapes of method the manifest refuses.
/// </summary>
internal static class McpMethod
{
    public const string RequestContext = "ModelContextProtocol.Server.RequestContext<TParams>";

    /// <summary>The <c>[Description]</c> text of a method or parameter, or null.</summary>
    public static string? Description(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(IsDescription)?.ConstructorArguments.FirstOrDefault().Value as string;

    public static bool IsDescription(AttributeData a) => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.DescriptionAttribute";

    /// <summary>Whether the SDK requires the argument (the schema exporter's "required": no default value).</summary>
    public static bool IsRequired(IParameterSymbol parameter) => !parameter.HasExplicitDefaultValue;

    /// <summary>
    /// Whether the SDK fills the parameter itself (see shared notes, mcp-sdk.md §3): what <c>AIFunctionFactory</c> binds
    /// (CancellationToken, IServiceProvider), a keyed service, and what the request's service provider adds
    /// (<c>RequestServiceProvider&lt;TParams&gt;.IsAugmentedWith</c>: McpServer, the progress reporter, the user, and the
    /// request context of this kind of request only, <paramref name="requestParams"/>).
    /// </summary>
    public static bool IsInjected(IParameterSymbol parameter, string requestParams)
    {
        if (parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Microsoft.Extensions.DependencyInjection.FromKeyedServicesAttribute"))
        {
            return true;
        }

        var type = parameter.Type as INamedTypeSymbol;
        var name = type?.OriginalDefinition.ToDisplayString();
        return name is "System.Threading.CancellationToken" or "ModelContextProtocol.Server.McpServer" or "System.IServiceProvider"
                   or "System.Security.Claims.ClaimsPrincipal"
               || (name == RequestContext && type!.TypeArguments[0].ToDisplayString() == requestParams)
               || (type is { Name: "IProgress", ContainingNamespace.Name: "System", TypeArguments.Length: 1 } &&
                   type.TypeArguments[0].ToDisplayString() == "ModelContextProtocol.ProgressNotificationValue");
    }

    /// <summary>What stops the manifest describing the method exactly, whatever its kind (<paramref name="where"/>: "Tool method X.Y").</summary>
    public static void CheckShape(IMethodSymbol method, string attribute, string where, Action<string> fail)
    {
        if (method.IsGenericMethod || method.ContainingType.IsGenericType)
        {
            fail($"{where} is generic; the build-time manifest describes non-generic methods of non-generic classes.");
        }

        if (method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == attribute)) > 1)
        {
            fail($"{where} is overloaded; give each method its own name.");
        }

        // The SDK copies [McpMeta] into the protocol object's _meta; the manifest does not.
        if (method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "ModelContextProtocol.Server.McpMetaAttribute"))
        {
            fail($"{where} has [McpMeta], which the build-time manifest does not reproduce.");
        }
    }

    /// <summary>The SDK's default name: the method's name, less "Async" on an async method, in snake_case.</summary>
    public static string DefaultName(IMethodSymbol method)
    {
        var name = method.Name;
        var returns = method.ReturnType.OriginalDefinition.ToDisplayString();
        if (name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5 &&
            returns is "System.Threading.Tasks.Task" or "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask" or "System.Threading.Tasks.ValueTask<TResult>")
        {
            name = name.Substring(0, name.Length - 5);
        }

        var snake = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousLower = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var upperRunEnds = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousLower || upperRunEnds) snake.Append('_');
                snake.Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }

        return snake.ToString();
    }
}
