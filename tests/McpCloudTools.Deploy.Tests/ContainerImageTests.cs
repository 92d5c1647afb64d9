using System.Text.Json;

namespace McpCloudTools.Deploy.Tests;

/// <summary>
/// The container image as the .NET SDK's container support computes it for
/// <c>dotnet publish src/McpCloudTools.Server -c Release -r linux-x64 /t:PublishContainer</c>: the SDK's own
/// ComputeContainerConfig target, run on the server project without building (building the image itself needs the
/// base image from mcr.microsoft.com, which is not reachable here; README, "Deploy on Kubernetes").
/// </summary>
public sealed class ContainerImageTests
{
    [Fact]
    public async Task Image_IsTheNativeAotServerOnChiseledRuntimeDeps_AsUser1654_OnPort8080()
    {
        var image = await ComputeAsync("linux-x64");

        image.Property("PublishAot").Should().Be("true", "publishing for a runtime builds NativeAOT");
        image.Property("CopyOutputSymbolsToPublishDirectory").Should().Be("false", "the 200 MB .dbg stays out of the image");
        image.Property("ContainerBaseImage").Should().Be("mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled");
        image.Property("ContainerUser").Should().Be(ServerPodAssertions.AppUid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "a numeric non-root user, so Kubernetes can enforce runAsNonRoot");
        image.Property("ContainerRepository").Should().Be("mcp-cloud-tools");
        image.Property("ContainerAppCommandInstruction").Should().Be("Entrypoint");
        image.Items("ContainerAppCommand").Should().Equal("/app/mcp-cloud-tools");
        image.Items("ContainerDefaultArgs").Should().Equal("--transport", "http", "--urls", "http://0.0.0.0:8080");
        image.Items("ContainerPort").Should().Equal("8080");
        image.Items("ContainerImageTags").Should().Equal("0.1.0", "latest");
        var labels = image.Labels();
        labels["org.opencontainers.image.title"].Should().Be("McpCloudTools");
        labels["org.opencontainers.image.version"].Should().Be("0.1.0");
        labels["org.opencontainers.image.licenses"].Should().Be("Apache-2.0");
        labels["org.opencontainers.image.description"].Should().StartWith("An MCP server");
    }

    [Fact]
    public async Task Image_OnMusl_IsAlpineRuntimeDeps()
    {
        var image = await ComputeAsync("linux-musl-x64");

        image.Property("ContainerBaseImage").Should().Be("mcr.microsoft.com/dotnet/runtime-deps:10.0-alpine");
        image.Property("ContainerUser").Should().Be("1654");
    }

    [Fact]
    public async Task Chart_RunsTheImageAsBuilt_UserPortAndAppsettingsBesideTheExecutable()
    {
        var image = await ComputeAsync("linux-x64");
        var m = await Chart.RenderAsync();

        ((long?)m.Server["securityContext"]!["runAsUser"]).ToString().Should().Be(image.Property("ContainerUser"));
        ((long?)m.Server["ports"]![0]!["containerPort"]).ToString().Should().Be(image.Items("ContainerPort").Single());
        var executable = image.Items("ContainerAppCommand").Single();
        var mount = (string?)m.Server["volumeMounts"]!.AsArray().Single(v => (string?)v!["name"] == "config")!["mountPath"];
        Path.GetDirectoryName(mount).Should().Be(Path.GetDirectoryName(executable), "the server reads appsettings.json beside its executable (AppContext.BaseDirectory)");
        image.Property("ContainerWorkingDirectory").TrimEnd('/').Should().Be(Path.GetDirectoryName(executable));
        m.Server["command"].Should().BeNull("the image's entrypoint is the server; the chart only sets its args");
    }

    [Fact]
    public async Task PublishingWithoutARuntime_OrForReadyToRun_IsNotNativeAot()
    {
        (await ComputeAsync(null)).Property("PublishAot").Should().BeEmpty("a plain build or framework-dependent publish stays JIT");
        (await ComputeAsync("linux-x64", "-p:PublishReadyToRun=true", "-p:SelfContained=false")).Property("PublishAot").Should().BeEmpty();
    }

    private static async Task<ContainerConfig> ComputeAsync(string? runtime, params string[] extra)
    {
        var project = Path.Combine(DeployTools.Root, "src", "McpCloudTools.Server", "McpCloudTools.Server.csproj");
        string[] arguments =
        [
            "msbuild", project, "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-t:ComputeContainerConfig",
            "-p:Configuration=Release", "-p:_IsPublishing=true", .. runtime is null ? Array.Empty<string>() : [$"-p:RuntimeIdentifier={runtime}"], .. extra,
            "-getProperty:PublishAot", "-getProperty:CopyOutputSymbolsToPublishDirectory", "-getProperty:ContainerBaseImage",
            "-getProperty:ContainerUser", "-getProperty:ContainerRepository", "-getProperty:ContainerWorkingDirectory",
            "-getProperty:ContainerAppCommandInstruction", "-getItem:ContainerAppCommand", "-getItem:ContainerDefaultArgs",
            "-getItem:ContainerPort", "-getItem:ContainerImageTags", "-getItem:ContainerLabel",
        ];
        var (code, stdout, stderr) = await DeployTools.RunAsync("dotnet", arguments, new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        code.Should().Be(0, stderr + stdout);
        return new ContainerConfig(JsonDocument.Parse(stdout).RootElement.Clone());
    }

    private sealed class ContainerConfig(JsonElement root)
    {
        public string Property(string name) => root.GetProperty("Properties").GetProperty(name).GetString() ?? "";

        public List<string> Items(string name) => root.GetProperty("Items").TryGetProperty(name, out var items)
            ? [.. items.EnumerateArray().Select(i => i.GetProperty("Identity").GetString()!)]
            : [];

        public Dictionary<string, string> Labels() => root.GetProperty("Items").GetProperty("ContainerLabel").EnumerateArray()
            .ToDictionary(i => i.GetProperty("Identity").GetString()!, i => i.GetProperty("Value").GetString()!);
    }
}
