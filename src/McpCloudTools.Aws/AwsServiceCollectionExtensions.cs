using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace McpCloudTools.Aws;

/// <summary>Registers the shared AWS layer: one runtime (policy, signer, connection pool) and the per-instance contexts.</summary>
public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="AwsRuntime"/> and <see cref="AwsContextProvider"/>. <paramref name="environment"/> decides the
    /// process environment and overrides (the sandbox's, in <c>--sandbox</c> mode); it runs on first use, never at start-up.
    /// </summary>
    public static IServiceCollection AddAws(this IServiceCollection services, Func<IServiceProvider, AwsEnvironment>? environment = null,
        AwsClientOptions? options = null)
    {
        services.AddSingleton(sp => new AwsRuntime(options, sp.GetService<ILoggerFactory>(), sp.GetService<TimeProvider>()));
        services.AddSingleton(sp => new AwsContextProvider(environment?.Invoke(sp) ?? AwsEnvironment.FromProcess(), sp.GetRequiredService<AwsRuntime>()));
        return services;
    }
}
