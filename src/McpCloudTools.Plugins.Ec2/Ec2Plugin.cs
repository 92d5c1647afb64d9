using Amazon.EC2.Model;
using McpCloudTools.Aws;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Ec2.Client;
using McpCloudTools.Plugins.Ec2.Services;
using McpCloudTools.Plugins.Ec2.Tools;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Ec2;

/// <summary>Amazon EC2: instances (list, detail, status checks, start/stop/reboot/terminate) and their network.</summary>
public sealed class Ec2Plugin : PluginBase
{
    /// <summary>Resources listed per instance (one DescribeInstances call).</summary>
    public const int MaxResources = 200;

    /// <inheritdoc />
    public override PluginInfo Info { get; } = new("ec2", "Amazon EC2",
        "EC2 instances of one account and region: find them, read their detail and status checks, start, stop, reboot or "
        + "terminate them with a real dry run, and check security groups, VPCs and subnets. Not for EKS pods, Lambda or Batch jobs.",
        "🖥️", "1.0.0");

    /// <inheritdoc />
    public override IReadOnlyList<PluginConfigKey> ConfigKeys => AwsSettings.ConfigKeys;

    /// <inheritdoc />
    public override object ParseSettings(ConfigReader config) => AwsSettings.ParseValid(config);

    /// <inheritdoc />
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<Ec2Clients>();
        services.AddSingleton(sp => new ListingCache(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddSingleton<InstanceService>();
        services.AddSingleton<StatusService>();
        services.AddSingleton<ActionService>();
        services.AddSingleton<NetworkService>();
    }

    /// <inheritdoc />
    public override IEnumerable<McpServerTool> GetTools(PluginToolFactory tools) =>
        [.. tools.From<InstanceTools>(), .. tools.From<InstanceActionTools>(), .. tools.From<NetworkTools>()];

    /// <inheritdoc />
    public override IEnumerable<McpServerPrompt> GetPrompts(PluginPromptFactory prompts) => prompts.From<Prompts.Ec2Prompts>();

    /// <inheritdoc />
    public override IReadOnlyList<PluginResourceTemplate> ResourceTemplates { get; } =
        [new("instances/{instance_id}", "instance", "An EC2 instance: state, type, addresses, status checks, scheduled events (ec2_instance_describe).", "ec2_instance_describe")];

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>?> CompleteAsync(PluginContext context, string argument, IReadOnlyDictionary<string, string> chosen,
        CancellationToken cancellationToken) =>
        argument is "instance_id" or "instance_ids" ? await Service<InstanceService>(context).InstanceIdsAsync(context, cancellationToken).ConfigureAwait(false) : null;

    /// <inheritdoc />
    public override async Task<HealthReport> HealthCheckAsync(PluginContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var api = context.Services.GetRequiredService<Ec2Clients>().For(context);
        var response = await api.CallAsync("DescribeAvailabilityZones", new DescribeAvailabilityZonesRequest(),
            (c, r, ct) => c.DescribeAvailabilityZonesAsync(r, ct), null, null, cancellationToken).ConfigureAwait(false);
        var region = api.Context.Region.SystemName;
        var endpoint = api.Context.ResolveEndpointWithSource(AwsService.Ec2);
        return HealthReport.Healthy($"EC2 answers in {region} ({response.AvailabilityZones?.Count ?? 0} zones)",
            new Dictionary<string, string> { ["region"] = region, ["endpoint"] = endpoint.Uri.ToString(), ["identity"] = api.Context.IdentityDescription });
    }

    /// <inheritdoc />
    public override Task<StatusSummary> GetStatusSummaryAsync(PluginContext context, CancellationToken cancellationToken) =>
        Service<InstanceService>(context).SummaryAsync(context, cancellationToken);

    /// <inheritdoc />
    public override Task<IReadOnlyList<PluginResource>> GetResourcesAsync(PluginContext context, CancellationToken cancellationToken) =>
        Service<InstanceService>(context).ResourcesAsync(context, MaxResources, cancellationToken);

    /// <inheritdoc />
    public override async Task<string?> ReadResourceAsync(PluginContext context, string uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var prefix = InstanceService.ResourceUri(context.Instance.Id, "");
        if (uri is null || !uri.StartsWith(prefix, StringComparison.Ordinal) || uri.Length == prefix.Length) return null;
        var id = Ec2Ids.Instance.Require(Uri.UnescapeDataString(uri[prefix.Length..]), "instance id in the resource URI");
        return await Service<InstanceService>(context).DescribeAsync(context, [id], cancellationToken).ConfigureAwait(false);
    }

    private static T Service<T>(PluginContext context) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Services.GetRequiredService<T>();
    }
}
