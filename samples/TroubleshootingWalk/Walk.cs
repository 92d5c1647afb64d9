using System.Globalization;
using System.Text.RegularExpressions;

namespace TroubleshootingWalk;

/// <summary>
/// The walk: each step reads the previous answer and decides the next call, the way an agent would. Nothing is
/// hard-coded that an answer can tell: clusters, pods, queues, jobs and functions all come from the lists.
/// </summary>
public sealed partial class Walk(AgentSession agent)
{
    // Failures a job did not cause itself: another job's, an array child's, or an operator's (whose reason is free
    // text; "Stopped by operator: …" in the sandbox).
    private static readonly string[] Consequences = ["Dependent Job failed", "Array Child Job failed", "Stopped by"];

    /// <summary>The tools the walk calls; the server must advertise them all.</summary>
    public static IReadOnlyList<string> Tools { get; } =
    [
        "clusters_list", "eks_pod_list", "eks_pod_describe", "eks_pod_logs",
        "batch_job_queue_list", "batch_job_list", "batch_job_diagnose",
        "lambda_function_list", "lambda_function_logs", "ec2_instance_status",
    ];

    /// <summary>Walks EKS, then Batch, then Lambda, then EC2, and returns what was found.</summary>
    public async Task<WalkReport> RunAsync(CancellationToken cancellationToken)
    {
        var cluster = await PickClusterAsync(cancellationToken).ConfigureAwait(false);
        var pod = await PickPodAsync(cluster, cancellationToken).ConfigureAwait(false);
        pod = await InspectPodAsync(cluster, pod, cancellationToken).ConfigureAwait(false);
        var queues = await UnusableQueuesAndNextAsync(cancellationToken).ConfigureAwait(false);
        var job = await DiagnoseFailedJobAsync(queues.Usable, cancellationToken).ConfigureAwait(false);
        var functions = await FailingFunctionsAsync(cancellationToken).ConfigureAwait(false);
        var instances = await ImpairedInstancesAsync(cancellationToken).ConfigureAwait(false);
        return new WalkReport(cluster, pod, queues.Unusable, job, functions, instances);
    }

    // 1. Which EKS cluster is in trouble? One pod per cluster is enough: the first line counts the unhealthy ones.
    private async Task<ClusterFinding> PickClusterAsync(CancellationToken cancellationToken)
    {
        var text = await agent.CallAsync("clusters_list", Args(), cancellationToken).ConfigureAwait(false);
        var eks = CompactRows.Read(text, "ID").Where(r => r["TYPE"] == "eks").Select(r => r["ID"]).ToList();
        if (eks.Count == 0)
        {
            throw new WalkException("clusters_list", "the answer lists no EKS cluster (TYPE eks), and the walk starts from one. The default sandbox scenario has three.");
        }

        agent.Note($"EKS clusters: {string.Join(", ", eks)}. Asking each for one pod: the first line counts the unhealthy ones.");
        var clusters = new List<ClusterFinding>();
        foreach (var id in eks)
        {
            var pods = await agent.CallAsync("eks_pod_list", Args(("cluster_id", id), ("limit", 1)), cancellationToken).ConfigureAwait(false);
            var counts = PodCounts().Match(AgentSession.FirstLine(pods));
            if (!counts.Success)
            {
                throw new WalkException("eks_pod_list", $"the first line has no 'N; unhealthy M' pod counts for {id}: {AgentSession.FirstLine(pods)}");
            }

            clusters.Add(new ClusterFinding(id, Int(counts.Groups["pods"].Value), Int(counts.Groups["unhealthy"].Value)));
        }

        var worst = clusters.MaxBy(c => c.Unhealthy)!;
        agent.Note($"unhealthy pods: {string.Join(", ", clusters.Select(c => $"{c.Id} {c.Unhealthy} of {c.Pods}"))}.");
        if (worst.Unhealthy == 0)
        {
            throw new WalkException("eks_pod_list", "no EKS cluster has unhealthy pods, so there is no pod to troubleshoot (the default sandbox scenario has some).");
        }

        agent.Note($"{worst.Id} has the most; listing exactly its {worst.Unhealthy} unhealthy pods (they come first).");
        return worst;
    }

    // 2. Which pod? A plain crash loop first: the list cannot say why it crashes, its previous log can.
    private async Task<PodFinding> PickPodAsync(ClusterFinding cluster, CancellationToken cancellationToken)
    {
        var text = await agent.CallAsync("eks_pod_list", Args(("cluster_id", cluster.Id), ("limit", Math.Min(cluster.Unhealthy, 100))), cancellationToken).ConfigureAwait(false);
        var rows = CompactRows.Read(text, "NAME");
        var row = rows.FirstOrDefault(r => r["STATUS"] == "CrashLoopBackOff")
                  ?? rows.FirstOrDefault(r => r["STATUS"].StartsWith("CrashLoopBackOff", StringComparison.Ordinal))
                  ?? rows.FirstOrDefault(r => r["STATUS"] is "Error" or "OOMKilled")
                  ?? throw new WalkException("eks_pod_list", $"none of the {rows.Count} rows read from the answer is a crash-looping or failed pod (STATUS CrashLoopBackOff, Error, OOMKilled).");
        var pod = new PodFinding(row.Group ?? "default", row["NAME"], row["STATUS"], row["DETAIL"], null, null);
        var statuses = rows.GroupBy(r => r["STATUS"]).Select(g => $"{g.Key} {g.Count()}");
        agent.Note($"{rows.Count} rows ({string.Join(", ", statuses)}). Picked {pod.Namespace}/{pod.Name}: {pod.Status}, {pod.Detail}.");
        return pod;
    }

    // 3. What does the pod say? Its description (exit codes, events), then the log of the instance that crashed.
    private async Task<PodFinding> InspectPodAsync(ClusterFinding cluster, PodFinding pod, CancellationToken cancellationToken)
    {
        var where = Args(("cluster_id", cluster.Id), ("namespace", pod.Namespace), ("pod", pod.Name));
        var described = await agent.CallAsync("eks_pod_describe", where, cancellationToken).ConfigureAwait(false);
        if (!AgentSession.FirstLine(described).Contains($"{pod.Namespace}/{pod.Name}", StringComparison.Ordinal) || !described.Contains(pod.Status, StringComparison.Ordinal))
        {
            throw new WalkException("eks_pod_describe", $"the answer does not describe {pod.Namespace}/{pod.Name} in status {pod.Status}: {AgentSession.FirstLine(described)}");
        }

        var lastState = Field(described, "last state:");
        var crashLoop = pod.Status.StartsWith("CrashLoopBackOff", StringComparison.Ordinal);
        agent.Note($"last state: {lastState ?? "(none)"}. Reading the log of the {(crashLoop ? "previous (crashed)" : "current")} container.");

        var logs = await agent.CallAsync("eks_pod_logs", new Dictionary<string, object?>(where) { ["previous"] = crashLoop, ["tail_lines"] = 20 }, cancellationToken).ConfigureAwait(false);
        if (!logs.StartsWith("logs of ", StringComparison.Ordinal))
        {
            throw new WalkException("eks_pod_logs", $"expected a log tail, got: {AgentSession.FirstLine(logs)}");
        }

        var cause = logs.Split('\n').Skip(1).LastOrDefault(l => ErrorLine().IsMatch(l))?.Trim();
        agent.Note(cause is null ? "no error line in the tail." : $"the crash: {cause}");
        return pod with { LastState = lastState, LogCause = cause };
    }

    // 4a. Batch: which queues cannot run anything, and which usable queue to look at (highest priority).
    private async Task<(IReadOnlyList<string> Unusable, string Usable)> UnusableQueuesAndNextAsync(CancellationToken cancellationToken)
    {
        var text = await agent.CallAsync("batch_job_queue_list", Args(), cancellationToken).ConfigureAwait(false);
        var rows = CompactRows.Read(text, "NAME");
        var unusable = rows.Where(r => r["PROBLEM"].Length > 0).Select(r => $"{r["NAME"]} ({r["PROBLEM"]})").ToList();
        var usable = rows.Where(r => r["PROBLEM"].Length == 0 && r["STATE"] == "ENABLED").OrderByDescending(r => Int(r["PRIORITY"])).FirstOrDefault()
                     ?? throw new WalkException("batch_job_queue_list", $"no ENABLED job queue without a problem among the {rows.Count} rows read from the answer.");
        agent.Note($"{(unusable.Count == 0 ? "every queue can run jobs" : "cannot run jobs: " + string.Join(", ", unusable))}. Failed jobs of {usable["NAME"]}, the usable queue of highest priority.");
        return (unusable, usable["NAME"]);
    }

    // 4b. The failure that cost the most run time (then the most jobs) among jobs that failed by themselves (not
    // through a dependency, an array child or an operator); its newest job gets a diagnosis. Run time rather than a
    // bare count: a pull error that never started costs little, and a count can tie as jobs keep failing.
    private async Task<BatchFinding> DiagnoseFailedJobAsync(string queue, CancellationToken cancellationToken)
    {
        var text = await agent.CallAsync("batch_job_list", Args(("queue", queue), ("status", "FAILED")), cancellationToken).ConfigureAwait(false);
        var rows = CompactRows.Read(text, "JOB ID");
        var groups = rows
            .Where(r => !r["ARRAY"].StartsWith("parent of", StringComparison.Ordinal) && !Consequences.Any(c => r["REASON"].StartsWith(c, StringComparison.Ordinal)))
            .GroupBy(r => r["REASON"].Length > 0 ? r["REASON"] : $"exit {r["EXIT"]}")
            .Select(g => (Cause: g.Key, Jobs: g.ToList(), RunTime: g.Aggregate(TimeSpan.Zero, (sum, r) => sum + Duration(r["RAN"]))))
            .OrderByDescending(g => g.RunTime).ThenByDescending(g => g.Jobs.Count).ToList();
        if (groups.Count == 0)
        {
            throw new WalkException("batch_job_list", $"no failed job of {queue} to diagnose ({rows.Count} rows read, none failed by itself).");
        }

        var job = groups[0].Jobs[0];
        agent.Note($"{rows.Count} failed; by cause: {string.Join("; ", groups.Select(g => $"{Short(g.Cause)} x{g.Jobs.Count} ran {g.RunTime.TotalMinutes:0}m"))}. " +
                   $"Diagnosing {job["NAME"]}, the newest of the costliest.");

        var diagnosis = await agent.CallAsync("batch_job_diagnose", Args(("job_id", job["JOB ID"])), cancellationToken).ConfigureAwait(false);
        var cause = Field(diagnosis, "cause:") ?? throw new WalkException("batch_job_diagnose", $"the answer has no 'cause:' line: {AgentSession.FirstLine(diagnosis)}");
        agent.Note($"cause: {cause}");
        return new BatchFinding(job["JOB ID"], job["NAME"], cause, Field(diagnosis, "fix:"));
    }

    // 5. Lambda: the failed states the list shows, then each active function's last hour for errors and
    // timeouts, filtered on the server so that only the lines that matter travel.
    private async Task<IReadOnlyList<LambdaFinding>> FailingFunctionsAsync(CancellationToken cancellationToken)
    {
        var text = await agent.CallAsync("lambda_function_list", Args(), cancellationToken).ConfigureAwait(false);
        var rows = CompactRows.Read(text, "NAME");
        // Failed (or a failed update) is a problem; Inactive only means idle, and the next call wakes it.
        var findings = rows.Where(r => r["STATE"].Contains("Failed", StringComparison.Ordinal) || r["STATE"].StartsWith("unknown", StringComparison.Ordinal))
            .Select(r => new LambdaFinding(r["NAME"], r["STATE"], null)).ToList();
        var active = rows.Where(r => r["STATE"].StartsWith("Active", StringComparison.Ordinal)).Select(r => r["NAME"]).Take(10).ToList();
        agent.Note($"{rows.Count} functions; failed: {(findings.Count == 0 ? "none" : string.Join(", ", findings.Select(f => $"{f.Function} {f.Problem}")))}. " +
                   $"Searching the last hour of the {active.Count} active ones for errors and timeouts.");
        foreach (var function in active)
        {
            var logs = await agent.CallAsync("lambda_function_logs", Args(("function", function), ("filter", "?ERROR ?Exception ?\"Task timed out\"")), cancellationToken).ConfigureAwait(false);
            var header = AgentSession.FirstLine(logs);
            var counts = LogCounts().Matches(header).Select(m => m.Value).ToList();
            if (counts.Count > 0)
            {
                var evidence = logs.Split('\n').Skip(1).Select(l => LogPrefix().Replace(l, "").Trim()).FirstOrDefault(l => l.Length > 0);
                findings.Add(new LambdaFinding(function, string.Join(", ", counts) + " in the last hour", evidence));
                agent.Note($"{function}: {string.Join(", ", counts)}; {evidence}");
            }
        }

        return findings;
    }

    // 6. EC2: status checks put impaired instances first; a failed check and a scheduled event are both worth a line.
    private async Task<IReadOnlyList<Ec2Finding>> ImpairedInstancesAsync(CancellationToken cancellationToken)
    {
        var text = await agent.CallAsync("ec2_instance_status", Args(), cancellationToken).ConfigureAwait(false);
        // The table, without the notes under it (each event in full, what impaired means).
        var table = string.Join('\n', text.Split('\n').Where(l => l.StartsWith("ID ", StringComparison.Ordinal) || l.StartsWith("i-", StringComparison.Ordinal)));
        var findings = CompactRows.Read(table, "ID")
            .Select(r => new Ec2Finding(r["ID"], r["NAME"], string.Join(", ", new[] { ("system", r["SYSTEM"]), ("instance", r["INSTANCE"]), ("EBS", r["EBS"]) }
                .Where(c => c.Item2.Length > 0 && c.Item2 != "ok").Select(c => $"{c.Item1} check {c.Item2}")), r["EVENT"]))
            .Where(f => f.Checks.Length > 0 || f.Event.Length > 0)
            .ToList();
        agent.Note($"{AgentSession.FirstLine(text)}; {findings.Count} to look at.");
        return findings;
    }

    private static Dictionary<string, object?> Args(params (string Name, object? Value)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);

    // "  last state: terminated Error exit 1, 3m ago after 6s" → the value of the first line with that label.
    private static string? Field(string text, string label) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))?[label.Length..].Trim();

    private static string Short(string text) => text.Length <= 50 ? text : text[..49] + "…";

    // "45s", "6m00s", "2h05m", "3d04h" (the RAN column); "-" or empty is zero.
    private static TimeSpan Duration(string value) => DurationParts().Matches(value).Aggregate(TimeSpan.Zero, (sum, m) => sum + Int(m.Groups[1].Value) * m.Groups[2].Value switch
    {
        "d" => TimeSpan.FromDays(1),
        "h" => TimeSpan.FromHours(1),
        "m" => TimeSpan.FromMinutes(1),
        _ => TimeSpan.FromSeconds(1),
    });

    private static int Int(string value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    [GeneratedRegex(@": (?<pods>\d+); unhealthy (?<unhealthy>\d+)")]
    private static partial Regex PodCounts();

    [GeneratedRegex(@"\b(panic|fatal|error|exception|traceback|killed)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"(\d+)([dhms])")]
    private static partial Regex DurationParts();

    [GeneratedRegex(@"(error lines|timeouts) \d+")]
    private static partial Regex LogCounts();

    // "01:07:09 2026-11-26T01:07:09.787Z fdf559e5-… " → the message after the time, the timestamp and the request id.
    [GeneratedRegex(@"^\S+ (\S+Z \S+ )?")]
    private static partial Regex LogPrefix();
}
