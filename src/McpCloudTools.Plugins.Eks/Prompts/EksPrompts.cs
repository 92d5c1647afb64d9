using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Eks.Prompts;

/// <summary>How an expert checks an EKS cluster and a failing pod with the eks tools.</summary>
[McpServerPromptType]
public sealed class EksPrompts
{
    /// <summary>A cluster's health.</summary>
    [McpServerPrompt(Name = "eks_cluster_health", Title = "Check an EKS cluster's health")]
    [Description("Playbook: is this cluster healthy? Control plane, node groups, nodes, failing pods and recent warnings, then a verdict.")]
    public static string ClusterHealth([Description("Cluster id from clusters_list; default the active cluster")] string? cluster_id = null)
    {
        var target = PromptArguments.With(PromptArguments.Check(cluster_id, nameof(cluster_id)), "cluster_id");
        return $"""
            Check the health of the EKS cluster{(target.Length == 0 ? " that is active (clusters_list shows it)" : target)}, read-only, and report a verdict.
            1. eks_cluster_describe{target}: status ACTIVE? version, platform version, endpoint access; note any health issues it lists.
            2. eks_nodegroup_list{target}: every node group ACTIVE with desired = ready? Describe (eks_nodegroup_describe) any that is DEGRADED or short of nodes.
            3. eks_node_list{target}: nodes NotReady, under pressure (memory, disk, PID) or cordoned come first.
            4. eks_pod_list{target}: pods that are not running or ready come first (CrashLoopBackOff, ImagePullBackOff, Pending, OOMKilled); count them by namespace.
            5. eks_event_list{target}: Warning events of the last hour; group repeated reasons.
            6. eks_addon_list{target}: add-ons DEGRADED or with available updates.
            Report: one line verdict (healthy / degraded / failing), then each problem with its evidence (the tool output line) and the next step.
            Change nothing: scaling, restarting or deleting needs the user's explicit request.
            """;
    }

    /// <summary>Why a pod fails.</summary>
    [McpServerPrompt(Name = "eks_pod_troubleshoot", Title = "Find why a pod is failing")]
    [Description("Playbook: why is this pod failing (crash loop, image pull, pending, OOM, probes)? Status, events, logs, node, then the cause and the fix.")]
    public static string PodTroubleshoot(
        [Description("Pod name, or namespace/name")] string pod,
        [Description("Cluster id from clusters_list; default the active cluster")] string? cluster_id = null)
    {
        var name = PromptArguments.Check(pod, nameof(pod)) ?? throw new ModelContextProtocol.McpProtocolException("Missing prompt argument 'pod'.", ModelContextProtocol.McpErrorCode.InvalidParams);
        var target = PromptArguments.With(PromptArguments.Check(cluster_id, nameof(cluster_id)), "cluster_id");
        return $"""
            Find out why the pod {name} is failing{(target.Length == 0 ? "" : " on" + target)}, read-only.
            1. eks_pod_describe pod={name}{target}: phase, each container's state and last state (reason, exit code), restart count, node, requests/limits, probes, events.
            2. By what it shows:
               - CrashLoopBackOff or Error: eks_pod_logs pod={name}{target} previous=true (the crashed run), then without previous; look for the last error before exit. Exit 137 = killed (OOM if the reason says OOMKilled: compare memory usage with the limit).
               - ImagePullBackOff / ErrImagePull: the image name and tag in the events; registry auth or a missing tag.
               - Pending: the scheduling event (Insufficient cpu/memory, taints, node selector, PVC); eks_node_list{target} for capacity and taints.
               - Running but not ready: the readiness probe's failures in the events; the port and path against the container.
            3. eks_event_list{target} for the namespace's Warning events around the failure time.
            4. If it belongs to a deployment, eks_deployment_list{target}: is the rollout stuck with other replicas failing the same way?
            Report the cause with its evidence, then the fix. Deleting or restarting the pod is not a fix unless the evidence says so, and needs the user's request.
            """;
    }
}
