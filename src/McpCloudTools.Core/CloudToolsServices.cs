using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using McpCloudTools.Core.Audit;
using McpCloudTools.Core.Mcp;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Core.Registry;
using McpCloudTools.Core.Safety;
using McpCloudTools.Core.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace McpCloudTools.Core;

/// <summary>Wires the core (registry, routing, safety, the MCP server's handlers) into a service collection.</summary>
public static class CloudToolsServices
{
    /// <summary>The server's name in MCP <c>serverInfo</c>.</summary>
    public const string ServerName = "mcp-cloud-tools";

    /// <summary>Short guidance sent to clients at connection.</summary>
    public const string Instructions =
        "AWS compute and HPC tools (EKS, EC2, Lambda, Batch, Slurm), named <plugin>_<resource>_<verb>. Cluster-scoped tools take cluster_id, " +
        "defaulting to the active cluster (clusters_list, cluster_activate). Account-scoped tools take instance (plugins_list). " +
        "Lists page with limit/cursor and put problems first. Write tools exist only when the server runs with --allow-write.";

    /// <summary>
    /// Registers a plugin type: runs its <see cref="PluginBase.ConfigureServices"/> and adds it to the catalog.
    /// This is the one line that adds a plugin.
    /// </summary>
    public static IServiceCollection AddPlugin<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(
        this IServiceCollection services) where T : PluginBase, new()
    {
        var plugin = new T();
        plugin.ConfigureServices(services);
        services.AddSingleton(sp => new PluginRouter<T>(plugin.Info.Type, sp.GetRequiredService<PluginRouter>(), sp.GetRequiredService<RegistryStateOwner>()));
        return services.AddSingleton<PluginBase>(plugin);
    }

    /// <summary>The serializer options tools use: our source-generated types in front of the SDK's.</summary>
    public static JsonSerializerOptions ToolSerializerOptions { get; } = CreateToolSerializerOptions();

    /// <summary>
    /// Adds the registry (its pieces: the state owner, instances, clusters, active clusters, resolution, health, tool
    /// advertisement), the per-instance cache, the router and the MCP server with the shared tool collection, the call
    /// guard, the unknown-tool handler and the resource handlers. Transports are added by the caller; call
    /// <see cref="LoadRegistryAsync"/> before serving.
    /// </summary>
    public static IMcpServerBuilder AddCloudToolsCore(this IServiceCollection services, SafetyOptions safety, Func<IServiceProvider, IStateStore> stateStore)
    {
        services.AddSingleton(safety);
        // Without sign-in every caller has every grant the ceilings allow; the server replaces these for sign-in and --audit-log.
        services.TryAddSingleton(new GrantPolicy(safety));
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton(CallLimits.Default);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(stateStore);
        services.TryAddSingleton(_ => RegistryDeclarations.None);
        services.AddSingleton(sp => new ToolCatalog(sp.GetServices<PluginBase>(), sp, ToolSerializerOptions, f => f.From<ManagementTools>()));
        services.AddSingleton<RegistryStateOwner>();
        services.AddSingleton<ToolAdvertiser>();
        services.AddSingleton<InstanceRegistry>();
        services.AddSingleton<ClusterRegistry>();
        services.AddSingleton<ActiveClusters>();
        services.AddSingleton<TargetResolver>();
        services.AddSingleton<HealthCache>();
        services.AddSingleton<InstanceServiceCache>();
        services.AddSingleton<PluginRouter>();
        services.AddSingleton<RecentCalls>();
        services.AddSingleton<Completions>();

        // Before AddMcpServer: every server instance (stdio, each HTTP session, each stateless request) must get the
        // registry's collection, so that a change to it reaches all of them.
        services.AddOptions<McpServerOptions>().Configure<ToolAdvertiser>((o, tools) =>
        {
            o.ToolCollection = tools.Tools;
            o.PromptCollection = tools.Prompts;
            o.ResourceCollection = tools.ResourceTemplates;
        });
        return services.AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation
                {
                    Name = ServerName, Title = "McpCloudTools",
                    Version = typeof(CloudToolsServices).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
                };
                o.ServerInstructions = Instructions;
            })
            .WithMessageFilters(f =>
            {
                f.AddIncomingFilter(RequestValidation.Filter);
                f.AddIncomingFilter(UnicodeRepairFilter.Filter);
            })
            .WithRequestFilters(f =>
            {
                f.AddCallToolFilter(CallToolGuard.Filter);
                f.AddListToolsFilter(CallerToolList.Filter);
                f.AddListResourceTemplatesFilter(ResourceHandlers.TemplatesFilter);
            })
            .WithCallToolHandler(UnknownToolHandler.HandleAsync)
            .WithListResourcesHandler(ResourceHandlers.ListAsync)
            .WithReadResourceHandler(ResourceHandlers.ReadAsync)
            .WithCompleteHandler(Completions.CompleteAsync);
    }

    /// <summary>
    /// Loads the registry's state before the server serves: the pieces that follow its changes (advertised tools,
    /// health, the per-instance cache) subscribe first, then the state is loaded and the tools advertised.
    /// Throws <see cref="StateFileException"/> when the store cannot be used.
    /// </summary>
    public static Task LoadRegistryAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        _ = services.GetRequiredService<ToolAdvertiser>();
        _ = services.GetRequiredService<HealthCache>();
        _ = services.GetRequiredService<InstanceServiceCache>();
        return services.GetRequiredService<InstanceRegistry>().LoadAsync(cancellationToken);
    }

    private static JsonSerializerOptions CreateToolSerializerOptions()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Insert(0, CoreJsonContext.Default);
        options.MakeReadOnly();
        return options;
    }
}
