using System.ComponentModel;
using McpCloudTools.Core.Plugins;
using ModelContextProtocol.Server;

namespace McpCloudTools.Plugins.Lambda.Prompts;

/// <summary>How an expert looks into a Lambda function's errors with the lambda tools.</summary>
[McpServerPromptType]
public sealed class LambdaPrompts
{
    /// <summary>A function's errors.</summary>
    [McpServerPrompt(Name = "lambda_function_errors", Title = "Find why a Lambda function fails")]
    [Description("Playbook: why does this function fail (errors, timeouts, throttles, out of memory)? Configuration, recent logs, event sources, then the cause.")]
    public static string FunctionErrors(
        [Description("Function name or ARN")] string function,
        [Description("Plugin instance (account/region) from plugins_list; default the first enabled")] string? instance = null)
    {
        var name = PromptArguments.Check(function, nameof(function))
            ?? throw new ModelContextProtocol.McpProtocolException("Missing prompt argument 'function'.", ModelContextProtocol.McpErrorCode.InvalidParams);
        var account = PromptArguments.With(PromptArguments.Check(instance, nameof(instance)), "instance");
        return $"""
            Find out why the Lambda function {name} fails{(account.Length == 0 ? "" : " (" + account.Trim() + ")")}, read-only.
            1. lambda_function_get function={name}{account}: state and last update status, runtime, handler, memory, timeout, reserved concurrency, dead-letter target, layers.
            2. lambda_function_logs function={name}{account} since=1h filter=ERROR: the errors and their stack traces; then without filter around one failure, and read the REPORT lines: duration against the timeout ("Task timed out"), max memory used against the memory size (out of memory), init duration (cold starts).
            3. lambda_event_source_list{account}: the function's triggers; a failing SQS/Kinesis mapping retries the same batch (look for a poison message).
            4. lambda_account_settings{account}: concurrency limits if the errors are throttles.
            Report the cause with its evidence and the fix. Invoking the function or changing its configuration needs the user's request.
            """;
    }
}
