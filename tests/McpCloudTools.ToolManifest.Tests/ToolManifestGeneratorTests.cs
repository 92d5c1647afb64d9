using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Plugins.Manifest;
using McpCloudTools.Core.Safety;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using PromptRegistry = McpCloudTools.Core.Plugins.Manifest.PromptManifest;
using Registry = McpCloudTools.Core.Plugins.Manifest.ToolManifest;

namespace McpCloudTools.ToolManifest.Tests;

/// <summary>
/// The generator on tool classes compiled here: every parameter shape the SDK's schema rules cover (the plugins use only
/// some of them; <c>ToolManifestTests</c> in the server's tests covers every real tool) gives exactly the tool reflection
/// gives, and a tool it cannot describe is a build error naming the method and the parameter, never a different tool.
/// The same for prompts: every argument shape gives the protocol prompt reflection gives, the parameters the SDK binds
/// itself are no arguments, and a prompt it cannot describe is build error MCT002.
/// </summary>
public sealed class ToolManifestGeneratorTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Security.Claims;
        using System.Text.Json;
        using System.Threading;
        using System.Threading.Tasks;
        using McpCloudTools.Core.Mcp;
        using McpCloudTools.Core.Safety;
        using McpCloudTools.Core.Validation;
        using ModelContextProtocol;
        using ModelContextProtocol.Protocol;
        using ModelContextProtocol.Server;
        namespace Shapes;
        public enum Color { Red, Green, Blue }
        """;

    [Fact]
    public void EveryParameterShape_GivesTheToolReflectionGives()
    {
        var assembly = Compile(Usings + """

            public sealed class ShapeTools
            {
                [McpServerTool(Name = "shape_required_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false), SensitiveData]
                [Description("Every shape, required: \"quoted\", <html> & é.")]
                public static string Required(
                    [Description("A name"), Text(40, Subject = "a name", Multiline = true)] string name, string? maybe, int count, long big, double ratio, bool flag,
                    int? nCount, bool? nFlag, double? nRatio, string[] list, string[]? nList, List<string> list2, IReadOnlyList<string>? nList2,
                    Dictionary<string, string> map, Dictionary<string, string>? nMap, JsonElement any, [Description("Anything")] JsonElement? nAny,
                    Color color, Color? nColor, CancellationToken cancellationToken) => "";

                [McpServerTool(Name = "shape_optional_set", Title = "Optional shapes", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true)]
                [RequiresGrant(Grants.Admin), WaitsUpTo("wait", 30, 600)]
                [Description("Every shape, optional.")]
                public async Task<string> OptionalAsync(
                    IProgress<ProgressNotificationValue> progress,
                    string text = "a\"b\\c\u00e9\n", string? nText = null, string? nText2 = "q", int wait = 30, long big = long.MaxValue, double ratio = -2.25e10,
                    double half = 0.5, bool on = true, bool off = false, int? nCount = null, int? nFive = 5, bool? nFlag = null, double? nRatio = null,
                    string[]? nList = null, Dictionary<string, string>? nMap = null, JsonElement? nAny = null,
                    [Description("Color")] Color color = Color.Green, Color? nColor = null, Color? nBlue = Color.Blue,
                    CancellationToken cancellationToken = default)
                {
                    await Task.Yield();
                    return "";
                }

                [McpServerTool(ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false), Description("Default name, not async.")]
                public static string DefaultNameAsync() => "";

                [McpServerTool(ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false), Description("Default name, async.")]
                public static Task<string> PlainDefaultNameAsync() => Task.FromResult("");
            }
            """, out var diagnostics);
        diagnostics.Should().BeEmpty();

        var type = assembly.GetType("Shapes.ShapeTools")!;
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        Registry.Of(type).Should().HaveCount(4);
        var manifest = Describe(type, byReflection: false);
        var reflection = Describe(type, byReflection: true);
        manifest.Select(t => t.Name).Should().Equal("shape_required_get", "shape_optional_set", "default_name_async", "plain_default_name");
        manifest.Select(t => t.Tool).Should().AllBeOfType<ManifestTool>();
        foreach (var (m, r) in manifest.Zip(reflection))
        {
            Json(m).Should().Be(Json(r), m.Name);
            (m.Access, m.Sensitive, m.Required, m.Waits?.MaxSeconds).Should().Be((r.Access, r.Sensitive, r.Required, r.Waits?.MaxSeconds), m.Name);
            m.Arguments.Items.Select(a => (a.Name, a.Shape, a.Required, a.Rule.Description, a.Rule.Subject))
                .Should().Equal(r.Arguments.Items.Select(a => (a.Name, a.Shape, a.Required, a.Rule.Description, a.Rule.Subject)), m.Name);
            m.Arguments.Bound.Select(b => (b.Name, b.Required, b.Expected, b.TypeInfo.Type))
                .Should().Equal(r.Arguments.Bound.Select(b => (b.Name, b.Required, b.Expected, b.TypeInfo.Type)), m.Name);
        }

        manifest[1].Required.Should().Be(Grants.Admin);
        manifest[0].Arguments.Items.Should().Contain(a => a.Name == "name" && a.Rule.Subject == "a name");
    }

    [Theory]
    [InlineData("System.Uri target", "parameter 'target' is System.Uri")]
    [InlineData("decimal amount", "parameter 'amount' is decimal")]
    [InlineData("IServiceThing service", "parameter 'service' is Shapes.IServiceThing")]
    [InlineData("int[] numbers", "parameter 'numbers' is int[]")]
    public void AParameterItCannotDescribe_IsABuildError_NamingMethodAndParameter(string parameter, string expected)
    {
        Compile(Usings + $$"""

            public interface IServiceThing;
            public sealed class BadTools
            {
                [McpServerTool(Name = "bad_thing_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false)]
                [Description("Bad.")]
                public static string Get({{parameter}}) => "";
            }
            """, out var diagnostics, expectGenerated: false);
        var error = diagnostics.Should().ContainSingle(d => d.Id == "MCT001").Subject;
        error.Severity.Should().Be(DiagnosticSeverity.Error);
        error.GetMessage().Should().Contain("BadTools.Get").And.Contain(expected).And.Contain("take services through the class's constructor");
        error.Location.GetLineSpan().StartLinePosition.Line.Should().BeGreaterThan(10, "it points at the method");
    }

    [Fact]
    public void StructuredContent_IsABuildError_NotADifferentTool()
    {
        Compile(Usings + """

            public sealed class BadTools
            {
                [McpServerTool(Name = "bad_thing_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
                [Description("Bad.")]
                public static string Get() => "";
            }
            """, out var diagnostics, expectGenerated: false);
        diagnostics.Should().ContainSingle(d => d.Id == "MCT001").Which.GetMessage().Should().Contain("UseStructuredContent");
    }

    [Fact]
    public void EveryPromptArgumentShape_GivesThePromptReflectionGives()
    {
        var assembly = Compile(Usings + """

            public sealed class ShapePrompts
            {
                [McpServerPrompt(Name = "shape_all", Title = "All shapes \"quoted\" é"), Description("Every argument shape, <html> & \"quotes\".")]
                public static string All(
                    [Description("A name")] string name, string? maybe, int count, bool? flag, Color color, [Description("Anything")] JsonElement any,
                    string[]? list, Dictionary<string, string> map, CancellationToken cancellationToken, McpServer server,
                    RequestContext<GetPromptRequestParams> request, IServiceProvider services, IProgress<ProgressNotificationValue> progress,
                    [Description("Optional \"one\"")] string optional = "x", int five = 5, Color? nColor = null, JsonElement? nAny = null) => "";

                [McpServerPrompt, Description("Default name, async, only injected parameters.")]
                public Task<string> DefaultNameAsync(ClaimsPrincipal? user, McpServer server, CancellationToken cancellationToken) => Task.FromResult("");

                [McpServerPrompt(Title = "Plain"), Description("Default name, not async.")]
                public static string PlainDefaultNameAsync([Description("Only")] string only = "") => "";
            }

            public sealed class MoreTools
            {
                [McpServerTool(Name = "more_thing_get", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false), Description("A tool beside.")]
                public static string Get() => "";
            }
            """, out var diagnostics, generatedFiles: 2);
        diagnostics.Should().BeEmpty();

        var type = assembly.GetType("Shapes.ShapePrompts")!;
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        Registry.Of(assembly.GetType("Shapes.MoreTools")!).Should().ContainSingle("the tools' manifest is generated beside the prompts'");
        PromptRegistry.Of(type).Should().HaveCount(3);
        var manifest = Prompts(type, byReflection: false);
        var reflection = Prompts(type, byReflection: true);
        manifest.Select(p => p.ProtocolPrompt.Name).Should().Equal("shape_all", "default_name", "plain_default_name_async");
        manifest.Should().AllBeOfType<ManifestPrompt>();
        reflection.Should().NotContain(p => p is ManifestPrompt);
        foreach (var (m, r) in manifest.Zip(reflection))
        {
            Json(m.ProtocolPrompt).Should().Be(Json(r.ProtocolPrompt), m.ProtocolPrompt.Name);
        }

        manifest[0].ProtocolPrompt.Arguments!.Select(a => a.Name).Should().Equal("name", "maybe", "count", "flag", "color", "any", "list", "map", "optional", "five", "nColor", "nAny");
        manifest[1].ProtocolPrompt.Arguments.Should().BeEmpty();
        manifest.Cast<ManifestPrompt>().Should().OnlyContain(p => !p.IsCreated);
    }

    [Theory]
    [InlineData("System.Uri target", "parameter 'target' is System.Uri")]
    [InlineData("IServiceThing service", "parameter 'service' is Shapes.IServiceThing")]
    [InlineData("RequestContext<CallToolRequestParams> request", "parameter 'request' is ModelContextProtocol.Server.RequestContext<ModelContextProtocol.Protocol.CallToolRequestParams>")]
    [InlineData("JsonElement payload", "parameter 'payload' is a required JsonElement without [Description]")]
    public void APromptParameterItCannotDescribe_IsBuildErrorMct002_NamingMethodAndParameter(string parameter, string expected)
    {
        Compile(Usings + $$"""

            public interface IServiceThing;
            public sealed class BadPrompts
            {
                [McpServerPrompt(Name = "bad_thing"), Description("Bad.")]
                public static string Thing([Description("Fine")] string fine, {{parameter}}) => "";
            }
            """, out var diagnostics, expectGenerated: false);
        var error = diagnostics.Should().ContainSingle(d => d.Id == "MCT002").Subject;
        error.Severity.Should().Be(DiagnosticSeverity.Error);
        error.GetMessage().Should().Contain("Prompt method BadPrompts.Thing").And.Contain(expected);
        error.Location.GetLineSpan().StartLinePosition.Line.Should().BeGreaterThan(10, "it points at the method");
        diagnostics.Should().NotContain(d => d.Id == "MCT001");
    }

    [Theory]
    [InlineData("[McpServerPrompt(Name = \"bad_thing\", IconSource = \"https://example.com/i.png\"), Description(\"Bad.\")]", "sets IconSource on [McpServerPrompt]")]
    [InlineData("[McpServerPrompt(Name = \"bad_thing\"), McpMeta(\"team\", \"ops\"), Description(\"Bad.\")]", "has [McpMeta]")]
    public void WhatThePromptManifestDoesNotReproduce_IsBuildErrorMct002(string attributes, string expected)
    {
        Compile(Usings + $$"""

            public sealed class BadPrompts
            {
                {{attributes}}
                public static string Thing() => "";
            }
            """, out var diagnostics, expectGenerated: false);
        diagnostics.Should().ContainSingle(d => d.Id == "MCT002").Which.GetMessage().Should().Contain("Prompt method BadPrompts.Thing").And.Contain(expected);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APromptOutsideThePluginsPrefix_IsRefused_FromTheManifestAsByReflection(bool byReflection)
    {
        var assembly = Compile(Usings + """

            public sealed class OtherPrompts
            {
                [McpServerPrompt(Name = "other_thing"), Description("Someone else's.")]
                public static string Thing() => "";
            }
            """, out var diagnostics);
        diagnostics.Should().BeEmpty();
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

        var act = () => Prompts(assembly.GetType("Shapes.OtherPrompts")!, byReflection, "shape_");

        act.Should().Throw<InvalidOperationException>().WithMessage("Prompt 'other_thing' in OtherPrompts must be named 'shape_<subject>' and have a description.");
    }

    private static List<McpServerPrompt> Prompts(Type type, bool byReflection, string prefix = "")
    {
        var factory = new PluginPromptFactory(new NoServices(), CloudToolsServices.ToolSerializerOptions, prefix, byReflection);
        try
        {
            var prompts = (IEnumerable<McpServerPrompt>)typeof(PluginPromptFactory).GetMethod(nameof(PluginPromptFactory.From))!.MakeGenericMethod(type).Invoke(factory, null)!;
            return [.. prompts];
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static string Json(ModelContextProtocol.Protocol.Prompt p) => JsonSerializer.Serialize(p, McpJsonUtilities.DefaultOptions);

    private static List<ToolDescriptor> Describe(Type type, bool byReflection)
    {
        var factory = new PluginToolFactory(new NoServices(), CloudToolsServices.ToolSerializerOptions, "", byReflection);
        var tools = (IEnumerable<McpServerTool>)typeof(PluginToolFactory).GetMethod(nameof(PluginToolFactory.From))!.MakeGenericMethod(type).Invoke(factory, null)!;
        return [.. tools.Select(t => ToolDescriptor.Describe(t, "shape"))];
    }

    private static string Json(ToolDescriptor t) => JsonSerializer.Serialize(t.Tool.ProtocolTool, McpJsonUtilities.DefaultOptions);

    // Compiles the source with the generator as the build does; returns the loaded assembly, the generator's and the compiler's errors.
    private static Assembly Compile(string source, out IReadOnlyList<Diagnostic> diagnostics, bool expectGenerated = true, int generatedFiles = 1)
    {
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Concat([typeof(McpServerTool).Assembly, typeof(Registry).Assembly, typeof(System.ComponentModel.DescriptionAttribute).Assembly, typeof(System.Security.Claims.ClaimsPrincipal).Assembly])
            .Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location).Distinct()
            .Select(l => MetadataReference.CreateFromFile(l));
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create("Shapes" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, parse, path: "ShapeTools.cs")], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Should().BeEmpty("the test's source compiles");
        CSharpGeneratorDriver.Create([new ToolManifestGenerator().AsSourceGenerator()], parseOptions: parse).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generated);
        var errors = generated.Concat(output.GetDiagnostics()).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        diagnostics = errors;
        output.SyntaxTrees.Count().Should().Be(expectGenerated ? 1 + generatedFiles : 1);
        if (errors.Count > 0) return null!;
        using var stream = new MemoryStream();
        output.Emit(stream).Success.Should().BeTrue();
        return Assembly.Load(stream.ToArray());
    }

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
