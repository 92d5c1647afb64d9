namespace TroubleshootingWalk;

/// <summary>An EKS cluster and its pod counts from the first line of <c>eks_pod_list</c>.</summary>
public sealed record ClusterFinding(string Id, int Pods, int Unhealthy);

/// <summary>The pod the walk looked into: list row, last container state, and the error line of its log.</summary>
public sealed record PodFinding(string Namespace, string Name, string Status, string Detail, string? LastState, string? LogCause);

/// <summary>The failed Batch job that was diagnosed, with the diagnosis' cause and fix lines.</summary>
public sealed record BatchFinding(string JobId, string Name, string Cause, string? Fix);

/// <summary>A Lambda function with a problem: a state other than Active, or errors and timeouts in its log.</summary>
public sealed record LambdaFinding(string Function, string Problem, string? Evidence);

/// <summary>An EC2 instance with a failed status check or a scheduled event.</summary>
public sealed record Ec2Finding(string InstanceId, string Name, string Checks, string Event);

/// <summary>What the walk found: the answer to "what is wrong?".</summary>
public sealed record WalkReport(
    ClusterFinding Cluster,
    PodFinding Pod,
    IReadOnlyList<string> UnusableQueues,
    BatchFinding FailedJob,
    IReadOnlyList<LambdaFinding> Functions,
    IReadOnlyList<Ec2Finding> Instances)
{
    /// <summary>Prints the findings, one line per problem.</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        output.WriteLine("what is wrong:");
        output.WriteLine($"- EKS {Cluster.Id}: {Cluster.Unhealthy} of {Cluster.Pods} pods unhealthy; {Pod.Namespace}/{Pod.Name} is in {Pod.Status} ({Pod.LastState ?? Pod.Detail})");
        output.WriteLine($"  its previous log ends with: {Pod.LogCause ?? "(no error line)"}");
        if (UnusableQueues.Count > 0)
        {
            output.WriteLine($"- Batch queues that cannot run jobs: {string.Join(", ", UnusableQueues)}");
        }

        output.WriteLine($"- Batch job {FailedJob.Name} ({FailedJob.JobId}): {FailedJob.Cause}");
        if (FailedJob.Fix is not null)
        {
            output.WriteLine($"  fix: {FailedJob.Fix}");
        }

        foreach (var f in Functions)
        {
            output.WriteLine($"- Lambda {f.Function}: {f.Problem}{(f.Evidence is null ? "" : $" ({f.Evidence})")}");
        }

        foreach (var i in Instances)
        {
            var what = string.Join("; ", new[] { i.Checks, i.Event.Length > 0 ? $"scheduled {i.Event}" : "" }.Where(w => w.Length > 0));
            output.WriteLine($"- EC2 {i.InstanceId} ({(i.Name.Length > 0 ? i.Name : "no name")}): {what}");
        }
    }
}
