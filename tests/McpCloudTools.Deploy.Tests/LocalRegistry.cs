using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpCloudTools.Deploy.Tests;

/// <summary>
/// A real OCI distribution registry (Debian's <c>docker-registry</c>, the CNCF Distribution server) on a free loopback
/// port, in a temp folder, killed and removed on dispose. It stands in for mcr.microsoft.com, which is not reachable
/// here: <see cref="PushBaseImageAsync"/> pushes a minimal stand-in for <c>runtime-deps</c> (its <c>/etc/passwd</c> with the
/// <c>app</c> user 1654 and its environment), so that the SDK's container support can build our image on it.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;

    private LocalRegistry(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        Host = $"127.0.0.1:{port}";
        _http = new HttpClient { BaseAddress = new Uri($"http://{Host}/") };
    }

    /// <summary><c>127.0.0.1:port</c>, as an image reference's registry part.</summary>
    public string Host { get; }

    public static async Task<LocalRegistry> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: apt-get install docker-registry (.ci/run does).");
        }

        var dir = Directory.CreateTempSubdirectory("mct-registry-").FullName;
        var port = FreePort();
        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
            http:
              addr: 127.0.0.1:{port}
            """);
        var info = new ProcessStartInfo(Binary, ["serve", config]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start docker-registry.");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var registry = new LocalRegistry(process, dir, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await registry._http.GetAsync("v2/");
                if (response.IsSuccessStatusCode)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await registry.DisposeAsync();
                throw new InvalidOperationException($"docker-registry did not come up on {registry.Host}: {stderr}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Pushes a stand-in for the .NET runtime-deps image under <paramref name="repository"/>:<paramref name="tag"/>.</summary>
    public async Task PushBaseImageAsync(string repository, string tag)
    {
        var (layer, diffId) = BaseLayer();
        var layerDigest = await PushBlobAsync(repository, layer);
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "APP_UID=1654", "ASPNETCORE_HTTP_PORTS=8080", "DOTNET_RUNNING_IN_CONTAINER=true"),
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(diffId) },
            ["history"] = new JsonArray(new JsonObject { ["created_by"] = "McpCloudTools.Deploy.Tests: stand-in for mcr.microsoft.com/dotnet/runtime-deps" }),
        };
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = await PushBlobAsync(repository, configBytes);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = new JsonObject { ["mediaType"] = "application/vnd.oci.image.config.v1+json", ["digest"] = configDigest, ["size"] = configBytes.Length },
            ["layers"] = new JsonArray(new JsonObject { ["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip", ["digest"] = layerDigest, ["size"] = layer.Length }),
        };
        using var content = new StringContent(manifest.ToJsonString());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var put = await _http.PutAsync($"v2/{repository}/manifests/{tag}", content);
        put.StatusCode.Should().Be(HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }

        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> PushBlobAsync(string repository, byte[] blob)
    {
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var start = await _http.PostAsync($"v2/{repository}/blobs/uploads/", null);
        start.StatusCode.Should().Be(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        var location = start.Headers.Location!;
        var target = new UriBuilder(location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location));
        target.Query = (target.Query.Length > 1 ? target.Query[1..] + "&" : "") + "digest=" + Uri.EscapeDataString(digest);
        using var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await _http.PutAsync(target.Uri, content);
        put.StatusCode.Should().Be(HttpStatusCode.Created, await put.Content.ReadAsStringAsync());
        return digest;
    }

    /// <summary>The stand-in base layer: users and groups as in runtime-deps (root, and app with UID/GID 1654).</summary>
    private static (byte[] Gzipped, string DiffId) BaseLayer()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            void File(string path, string text, UnixFileMode mode)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)), Mode = mode };
                writer.WriteEntry(entry);
            }

            void Dir(string path, int uid = 0) => writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path)
            {
                Mode = (UnixFileMode)0b111_101_101, Uid = uid, Gid = uid,
            });

            Dir("etc/");
            File("etc/passwd", "root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:1654:1654::/home/app:/usr/sbin/nologin\n", (UnixFileMode)0b110_100_100);
            File("etc/group", "root:x:0:\napp:x:1654:\n", (UnixFileMode)0b110_100_100);
            Dir("home/");
            Dir("home/app/", 1654);
            Dir("tmp/");
        }

        var raw = tar.ToArray();
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return (gz.ToArray(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
