using System.Text.Json.Serialization;
using McpCloudTools.Plugins.Lambda.Client;

namespace McpCloudTools.Plugins.Lambda;

/// <summary>
/// Source-generated JSON for the Lambda wire shapes (PascalCase members, as Lambda sends them) and the tools'
/// non-primitive parameters; no reflection.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ListFunctionsResponse))]
[JsonSerializable(typeof(GetFunctionResponse))]
[JsonSerializable(typeof(FunctionConfiguration))]
[JsonSerializable(typeof(ListVersionsByFunctionResponse))]
[JsonSerializable(typeof(ListAliasesResponse))]
[JsonSerializable(typeof(ListEventSourceMappingsResponse))]
[JsonSerializable(typeof(GetAccountSettingsResponse))]
[JsonSerializable(typeof(UpdateFunctionConfigurationRequest))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(System.Text.Json.JsonElement?))]
public sealed partial class LambdaJsonContext : JsonSerializerContext;
