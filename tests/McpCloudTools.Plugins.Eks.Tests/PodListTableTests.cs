using System.Text.RegularExpressions;
using k8s.Models;
using McpCloudTools.Sandbox.Services.Eks.Kube;
using McpCloudTools.Testing;
using Xunit.Abstractions;

namespace McpCloudTools.Plugins.Eks.Tests;

/// <summary>
/// <c>eks_pod_list</c> scans server-side Table rows and reads whole only the pods that are not running and ready; a
/// server that prints no tables gets the old full listing. Both must give the same answer, page for page.
/// </summary>
public sealed partial class PodListTableTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PodList_FromTableRows_AnswersExactlyAsFromWholePods_OnEveryPage()
    {
        await using var h = await EksHarness.StartAsync(pods: 1200);
        var prod = h.Eks().Clusters["prod"].Kube;
        var staging = h.Eks().Clusters["staging"].Kube;
        Vary(prod);

        (string Name, object Args)[] cases =
        [
            ("prod, all namespaces, default page", new { cluster_id = "eks:prod" }),
            ("prod, all namespaces, pages of 200", new { cluster_id = "eks:prod", limit = 200 }),
            ("prod, one namespace, pages of 30", new { cluster_id = "eks:prod", @namespace = "payments", limit = 30 }),
            ("prod, a label selector", new { cluster_id = "eks:prod", label_selector = "app=api" }),
            ("staging: every kind of broken pod", new { cluster_id = "eks:staging", limit = 10 }),
        ];
        foreach (var (name, args) in cases)
        {
            var start = h.Sandbox.Requests.Last;
            var fromTables = await PagesAsync(h, args);
            var tableRequests = h.Sandbox.Requests.Since(start).Where(r => r.Service.StartsWith("kube:", StringComparison.Ordinal)).ToList();
            prod.ServesTables = staging.ServesTables = false;
            try
            {
                start = h.Sandbox.Requests.Last;
                var fromObjects = await PagesAsync(h, args);
                var objectRequests = h.Sandbox.Requests.Since(start).Where(r => r.Service.StartsWith("kube:", StringComparison.Ordinal)).ToList();
                fromTables.Should().Equal(fromObjects, name);
                fromTables.Count.Should().BeGreaterThan(name.Contains("pages", StringComparison.Ordinal) ? 1 : 0, name);

                // The table path really ran: table pages, then one read per pod that is not running and ready.
                tableRequests.Should().Contain(r => r.RawTarget.Contains("includeObject=Metadata", StringComparison.Ordinal), name);
                tableRequests.Where(r => !r.RawTarget.Contains('?', StringComparison.Ordinal)).Should().NotBeEmpty(name);
                objectRequests.Should().NotContain(r => !r.RawTarget.Contains('?', StringComparison.Ordinal), name);
                output.WriteLine($"{name}: {fromTables.Count} page(s); tables {tableRequests.Count} requests, {tableRequests.Sum(r => r.ResponseBytes)} bytes; "
                    + $"objects {objectRequests.Count} requests, {objectRequests.Sum(r => r.ResponseBytes)} bytes");
            }
            finally
            {
                prod.ServesTables = staging.ServesTables = true;
            }
        }
    }

    [Fact]
    public async Task PodList_OfTwoThousandPods_ReadsLessThanHalfTheBytesOfWholePods()
    {
        await using var h = await EksHarness.StartAsync(pods: 2000);
        var prod = h.Eks().Clusters["prod"].Kube;

        var before = prod.BytesServed;
        var start = h.Sandbox.Requests.Last;
        var fromTables = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:prod" });
        var tableBytes = prod.BytesServed - before;
        h.Sandbox.Requests.Since(start).Where(r => r.Service == "kube:prod").Sum(r => r.ResponseBytes).Should().Be(tableBytes);

        prod.ServesTables = false;
        before = prod.BytesServed;
        var fromObjects = await h.TextAsync("eks_pod_list", new { cluster_id = "eks:prod" });
        var objectBytes = prod.BytesServed - before;

        output.WriteLine($"2000 pods, first page: tables {tableBytes} bytes, whole pods {objectBytes} bytes");
        Cursor().Replace(fromTables, "cursor=…").Should().Be(Cursor().Replace(fromObjects, "cursor=…"), "the cursor names a snapshot; the rest is the same");
        tableBytes.Should().BeLessThan(objectBytes / 2, "a table row with its metadata is a fraction of the pod");
    }

    [Fact]
    public async Task PodTable_HasKubectlsColumnsAndStatuses_AndHonoursIncludeObject()
    {
        await using var h = await EksHarness.StartAsync();
        var staging = h.Eks().Clusters["staging"].Kube;
        var pods = staging.Pods();
        var now = staging.Now;
        var cells = pods.ToDictionary(p => p.Metadata.Name, p => KubeTables.PodCells(p, now));
        cells.Values.Select(c => c[2]).Should().Contain(["Running", "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "Pending", "Terminating", "Completed", "OOMKilled"]);
        // kubectl prints an evicted pod by its container's last reason, as the API server does; the list says Evicted.
        cells.Values.Select(c => c[2]).Should().Contain("ContainerStatusUnknown");
        cells.Values.Should().OnlyContain(c => c.Length == 9);

        var table = KubeTables.For(pods, p => p.Metadata, now, new KubeListMeta(), "None");
        table.ColumnDefinitions.Select(c => c.Name).Should().Equal("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        table.Rows.Should().OnlyContain(r => r.ObjectJson == null);
        static string Kind(KubeTableRow row) => System.Text.Json.Nodes.JsonNode.Parse(row.ObjectJson!)!["kind"]!.GetValue<string>();
        Kind(KubeTables.For(pods, p => p.Metadata, now, new KubeListMeta()).Rows[0]).Should().Be("PartialObjectMetadata");
        Kind(KubeTables.For(pods, p => p.Metadata, now, new KubeListMeta(), "Object").Rows[0]).Should().Be("Pod");

        // A pod initialised after its init container failed twice: kubectl counts only the app's restarts, and so does the list.
        var pod = Initialised(pods.First(p => cells[p.Metadata.Name][2] == "Running" && p.Spec.Containers.Count == 1), initRestarts: 2);
        KubeTables.PodCells(pod, now)[3].Should().Be(McpCloudTools.Plugins.Eks.Services.PodStatus.Row(pod).Restarts.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void PodTableReader_ReadsARealServersTable_ColumnsByName_AndRefusesWhatIsNotOne()
    {
        // Shaped like kube-apiserver 1.31's answer: columns by name in any order, RESTARTS with "(ago)", a numeric cell,
        // "<none>", PartialObjectMetadata with fields the reader skips, and the list's continue token.
        var json = """
            {"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{"resourceVersion":"42","continue":"abc"},
             "columnDefinitions":[{"name":"Name","type":"string","format":"name","description":"x","priority":0},
               {"name":"Status","type":"string"},{"name":"Ready","type":"string"},{"name":"Restarts","type":"string"},
               {"name":"Age","type":"string"},{"name":"IP","type":"string","priority":1},{"name":"Node","type":"string","priority":1}],
             "rows":[
               {"cells":["api-1","Running","2/2","3 (5m ago)","4d","10.0.1.5","ip-10-0-1-5.ec2.internal"],
                "object":{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"api-1","namespace":"web",
                  "labels":{"app":"api"},"managedFields":[{"manager":"kubelet","fieldsV1":{"f:status":{}}}],
                  "creationTimestamp":"2026-12-01T10:00:00Z"}}},
               {"cells":["job-1","Completed","0/1",0,"1h","<none>","<none>"],
                "object":{"metadata":{"name":"job-1","namespace":"batch","creationTimestamp":"2026-12-06T05:00:00Z","deletionTimestamp":"2026-12-06T06:00:00Z"}}}
             ]}
            """u8;
        var page = Eks.Kube.KubePodTable.Read(json, null)!;
        page.Continue.Should().Be("abc");
        page.Rows.Should().Equal(
            new Eks.Kube.PodTableRow("web", "api-1", "2/2", "Running", 3, "ip-10-0-1-5.ec2.internal", new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), false),
            new Eks.Kube.PodTableRow("batch", "job-1", "0/1", "Completed", 0, "", new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero), true));

        // includeObject=None: no metadata, so only a namespaced listing can say where a row lives.
        var none = """{"kind":"Table","columnDefinitions":[{"name":"Name"},{"name":"Ready"},{"name":"Status"},{"name":"Restarts"},{"name":"Node"}],"rows":[{"cells":["a","1/1","Running","0","n"]}]}"""u8;
        Eks.Kube.KubePodTable.Read(none, "web")!.Rows.Single().Namespace.Should().Be("web");
        Eks.Kube.KubePodTable.Read(none, null).Should().BeNull();

        // Not a table, a table without the columns, and broken JSON: null, so the list reads the pods instead.
        Eks.Kube.KubePodTable.Read("""{"kind":"PodList","apiVersion":"v1","items":[]}"""u8, null).Should().BeNull();
        Eks.Kube.KubePodTable.Read("""{"kind":"Table","columnDefinitions":[{"name":"Name"}],"rows":[]}"""u8, null).Should().BeNull();
        Eks.Kube.KubePodTable.Read("""{"kind":"Table","rows":[{"cells":["a" """u8, null).Should().BeNull();
    }

    /// <summary>Adds what the seeded clusters lack: init containers that restarted before the pod started, and sidecars, ready and not.</summary>
    private static void Vary(KubeCluster cluster)
    {
        var healthy = cluster.Pods().Where(p => cluster.ProfileOf(p) == PodProfile.Healthy && p.Spec.Containers.Count == 1).ToList();
        foreach (var pod in healthy.Where((_, i) => i % 9 == 0)) Initialised(pod, initRestarts: 3);
        foreach (var (pod, i) in healthy.Where((_, i) => i % 13 == 1).Select((p, i) => (p, i))) Sidecar(pod, ready: i % 4 != 0, restarts: i % 3);
    }

    private static V1Pod Initialised(V1Pod pod, int initRestarts)
    {
        pod.Spec.InitContainers = [new V1Container { Name = "migrate", Image = "migrate:1" }];
        pod.Status.InitContainerStatuses = [new V1ContainerStatus
        {
            Name = "migrate", Image = "migrate:1", ImageID = "", Ready = true, RestartCount = initRestarts,
            State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed" } },
        }];
        return pod;
    }

    private static void Sidecar(V1Pod pod, bool ready, int restarts)
    {
        pod.Spec.InitContainers = [new V1Container { Name = "log-shipper", Image = "fluent-bit:3", RestartPolicy = "Always" }];
        pod.Status.InitContainerStatuses = [new V1ContainerStatus
        {
            Name = "log-shipper", Image = "fluent-bit:3", ImageID = "", Ready = ready, Started = true, RestartCount = restarts,
            State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = pod.Metadata.CreationTimestamp } },
        }];
    }

    private static async Task<List<string>> PagesAsync(SandboxHarness h, object args)
    {
        var pages = new List<string>();
        var text = await h.TextAsync("eks_pod_list", args);
        pages.Add(text);
        while (Cursor().Match(text) is { Success: true } m && pages.Count < 100)
        {
            var next = ToolArgs.From(args).ToDictionary();
            next["cursor"] = m.Groups[1].Value;
            text = await h.TextAsync("eks_pod_list", next);
            // The cursor names a snapshot, different on each path: compare the rest.
            pages.Add(Cursor().Replace(text, "cursor=…"));
        }
        pages[0] = Cursor().Replace(pages[0], "cursor=…");
        return pages;
    }

    [GeneratedRegex("cursor=(\\S+)")]
    private static partial Regex Cursor();
}
