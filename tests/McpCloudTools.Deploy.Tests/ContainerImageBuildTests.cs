using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace McpCloudTools.Deploy.Tests;

/// <summary>
/// The image itself, built by the SDK's container support from the server project (<c>_PublishSingleContainer</c>, what
/// <c>/t:PublishContainer</c> runs after publishing) on a stand-in base image served by a real registry on loopback,
/// written as a tarball (<c>ContainerArchiveOutputPath</c>) and read back. What goes into the image is the
/// publish folder named by <c>MCPCLOUDTOOLS_AOT_DIR</c> (.ci/run sets it to the NativeAOT server it just built, and
/// then also runs the server from the image's layer), else a placeholder executable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ContainerImageBuildTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task PublishContainer_WritesAnImageThatRunsTheServerAsUser1654OnPort8080()
    {
        await using var registry = await LocalRegistry.StartAsync();
        await registry.PushBaseImageAsync("dotnet/runtime-deps", "10.0-noble-chiseled");
        var work = Directory.CreateTempSubdirectory("mct-image-").FullName;
        try
        {
            var aot = Environment.GetEnvironmentVariable("MCPCLOUDTOOLS_AOT_DIR");
            var publishDir = aot is { Length: > 0 } ? Path.GetFullPath(aot, DeployTools.Root) : Placeholder(work);
            var archive = Path.Combine(work, "mcp-cloud-tools.tar.gz");
            var project = Path.Combine(DeployTools.Root, "src", "McpCloudTools.Server", "McpCloudTools.Server.csproj");
            var (code, stdout, stderr) = await DeployTools.RunAsync("dotnet",
                ["msbuild", project, "-nologo", "-nodeReuse:false", "-t:ComputeContainerConfig;_PublishSingleContainer", "-p:Configuration=Release",
                 "-p:_IsPublishing=true", "-p:RuntimeIdentifier=linux-x64", $"-p:PublishDir={publishDir}/",
                 $"-p:ContainerBaseImage={registry.Host}/dotnet/runtime-deps:10.0-noble-chiseled", $"-p:ContainerArchiveOutputPath={archive}"],
                new Dictionary<string, string> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
            code.Should().Be(0, stderr + stdout);
            output.WriteLine($"image built from {publishDir} on {registry.Host}");

            // An OCI image layout: index.json -> manifest -> config and layers.
            var blobs = ReadTar(File.ReadAllBytes(archive));
            JsonNode Blob(JsonNode descriptor) => JsonNode.Parse(blobs[BlobPath(descriptor)])!;
            var index = JsonNode.Parse(blobs["index.json"])!;
            var manifest = Blob(index["manifests"]![0]!);
            var image = Blob(manifest["config"]!);
            var config = image["config"]!;

            ((string?)image["os"]).Should().Be("linux");
            ((string?)image["architecture"]).Should().Be("amd64");
            ((string?)config["User"]).Should().Be("1654", "the image runs as the non-root user app, by number");
            config["Entrypoint"]!.AsArray().Select(a => (string?)a).Should().Equal("/app/mcp-cloud-tools");
            config["Cmd"]!.AsArray().Select(a => (string?)a).Should().Equal("--transport", "http", "--urls", "http://0.0.0.0:8080");
            config["ExposedPorts"]!.AsObject().Select(p => p.Key).Should().Equal("8080/tcp");
            ((string?)config["WorkingDir"]).Should().Be("/app/");
            config["Env"]!.AsArray().Select(e => (string?)e).Should().Contain("APP_UID=1654", "the base image's environment is kept");
            var labels = config["Labels"]!;
            ((string?)labels["org.opencontainers.image.title"]).Should().Be("McpCloudTools");
            ((string?)labels["org.opencontainers.image.version"]).Should().Be("0.1.0");
            ((string?)labels["org.opencontainers.image.licenses"]).Should().Be("Apache-2.0");

            // Two layers: the base's, then the server's /app.
            var layers = manifest["layers"]!.AsArray();
            layers.Should().HaveCount(2);
            image["rootfs"]!["diff_ids"]!.AsArray().Should().HaveCount(2);
            var app = ReadTarEntries(Gunzip(blobs[BlobPath(layers[1]!)]));
            var server = app.Single(e => e.Name.TrimStart('.', '/') == "app/mcp-cloud-tools");
            server.Mode.Should().HaveFlag(UnixFileMode.OtherExecute, "user 1654 runs it");
            app.Select(e => e.Name).Should().NotContain(n => n.EndsWith(".dbg", StringComparison.Ordinal) || n.EndsWith(".pdb", StringComparison.Ordinal),
                "debug symbols stay out of the image");
            app.Where(e => e.Type == TarEntryType.RegularFile).Should().AllSatisfy(e => e.Mode.Should().NotHaveFlag(UnixFileMode.OtherWrite));

            if (aot is { Length: > 0 })
            {
                // The NativeAOT server from the image's layer answers, run as the image's user.
                var exe = Path.Combine(work, "rootfs", "mcp-cloud-tools");
                Directory.CreateDirectory(Path.GetDirectoryName(exe)!);
                await File.WriteAllBytesAsync(exe, server.Data);
                File.SetUnixFileMode(exe, server.Mode);
                File.SetUnixFileMode(work, (UnixFileMode)0b111_101_101);
                File.SetUnixFileMode(Path.GetDirectoryName(exe)!, (UnixFileMode)0b111_101_101);
                var (versionCode, version, versionError) = await DeployTools.RunAsync("setpriv",
                    ["--reuid=1654", "--regid=1654", "--clear-groups", exe, "--version"]);
                versionCode.Should().Be(0, versionError);
                version.Should().Contain("0.1.0");
                output.WriteLine($"the NativeAOT server from the image ({server.Data.Length / 1048576} MiB), run as 1654: {version.Trim()}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The bytes, gunzipped when they are gzip (the SDK writes the archive as a plain tar whatever its name).</summary>
    private static byte[] Gunzip(byte[] bytes)
    {
        if (bytes is not [0x1f, 0x8b, ..])
        {
            return bytes;
        }

        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    private static string Placeholder(string work)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "publish")).FullName;
        var exe = Path.Combine(dir, "mcp-cloud-tools");
        File.WriteAllText(exe, "placeholder for the NativeAOT server\n");
        File.SetUnixFileMode(exe, (UnixFileMode)0b111_101_101);
        return dir;
    }

    private static string BlobPath(JsonNode descriptor) => "blobs/" + ((string)descriptor["digest"]!).Replace(':', '/');

    private static Dictionary<string, byte[]> ReadTar(byte[] tar) =>
        ReadTarEntries(Gunzip(tar)).Where(e => e.Type == TarEntryType.RegularFile).ToDictionary(e => e.Name, e => e.Data, StringComparer.Ordinal);

    private static List<(string Name, TarEntryType Type, UnixFileMode Mode, byte[] Data)> ReadTarEntries(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var entries = new List<(string, TarEntryType, UnixFileMode, byte[])>();
        while (reader.GetNextEntry() is { } entry)
        {
            using var copy = new MemoryStream();
            entry.DataStream?.CopyTo(copy);
            entries.Add((entry.Name, entry.EntryType is TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType, entry.Mode, copy.ToArray()));
        }

        return entries;
    }
}
