using McpCloudTools.Aws.Logs;
using McpCloudTools.Core;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Plugins.Lambda.Client;
using McpCloudTools.Plugins.Lambda.Services;
using McpCloudTools.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace McpCloudTools.Plugins.Lambda.Tests;

/// <summary>Issue 12, injection: function names reach Lambda's paths and Logs' bodies only validated and escaped.</summary>
public sealed class HostileNameTests(WriteFixture fixture) : IClassFixture<WriteFixture>
{
    private async Task<LambdaInstanceClients> ClientsAsync()
    {
        var context = await fixture.Harness.Mcp.Services.GetRequiredService<PluginRouter<LambdaPlugin>>().InstanceAsync(null, CancellationToken.None);
        return fixture.Harness.Mcp.Services.GetRequiredService<LambdaClients>().For(context);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("orders-api/..")]
    [InlineData("orders-api#")]
    public async Task AFunctionNameThatWouldNavigateThePath_IsRefusedNamingTheArgument(string function)
    {
        await fixture.TextAsync("lambda_account_settings");
        var before = fixture.Harness.Sandbox.Requests.Last;

        var error = await fixture.ErrorAsync("lambda_function_get", new { function });

        error.Should().StartWith($"Invalid function '{function}': ").And.Contain("A function is its name").And.Contain("lambda_function_list");
        fixture.Harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task EveryNameOfEveryLambdaTool_RefusesHostileValuesBeforeAnyRequest()
    {
        await fixture.TextAsync("lambda_account_settings");
        var before = fixture.Harness.Sandbox.Requests.Last;
        (string Tool, string Argument, object Others)[] cases =
        [
            ("lambda_function_get", "function", new { }), ("lambda_function_logs", "function", new { }),
            ("lambda_function_invoke", "function", new { invocation_type = "DryRun" }),
            ("lambda_function_update_config", "function", new { memory = 256, dry_run = true }),
            ("lambda_version_list", "function", new { }), ("lambda_alias_list", "function", new { }), ("lambda_event_source_list", "function", new { }),
            ("lambda_function_list", "name", new { }), ("lambda_function_list", "runtime", new { }),
        ];
        var failures = new List<string>();
        foreach (var (tool, argument, others) in cases)
        {
            // A filter takes * patterns (ToolParams.NameFilter): 'a*b' is a filter there, never part of a URL.
            foreach (var value in HostileNames.Values.Where(v => !(tool == "lambda_function_list" && v == "a*b")))
            {
                var args = ToolArgs.From(others).ToDictionary(kv => kv.Key, kv => kv.Value);
                args[argument] = value;
                var result = await fixture.CallAsync(tool, args);
                if (result.IsError != true || !result.Text().StartsWith($"Invalid {argument} ", StringComparison.Ordinal) || result.Text().Length > 600)
                    failures.Add($"{tool} {argument}={value}: {result.Text()}");
            }
        }

        failures.Should().BeEmpty();
        fixture.Harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task LambdaClient_EveryOperationRefusesHostileNamesBeforeSending()
    {
        var lambda = (await ClientsAsync()).Lambda;
        var ct = CancellationToken.None;
        Func<string, Task>[] operations =
        [
            v => lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = v }, ct),
            v => lambda.GetFunctionAsync(new GetFunctionRequest { FunctionName = "orders-api", Qualifier = v }, ct),
            v => lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = v }, ct),
            v => lambda.GetFunctionConfigurationAsync(new GetFunctionRequest { FunctionName = "orders-api", Qualifier = v }, ct),
            v => lambda.InvokeAsync(new InvokeRequest { FunctionName = v, InvocationType = "DryRun" }, ct),
            v => lambda.InvokeAsync(new InvokeRequest { FunctionName = "orders-api", Qualifier = v, InvocationType = "DryRun" }, ct),
            v => lambda.ListVersionsByFunctionAsync(new ListVersionsByFunctionRequest { FunctionName = v }, ct),
            v => lambda.ListAliasesAsync(new ListAliasesRequest { FunctionName = v }, ct),
            v => lambda.ListEventSourceMappingsAsync(new ListEventSourceMappingsRequest { FunctionName = v }, ct),
            v => lambda.UpdateFunctionConfigurationAsync(new UpdateFunctionConfigurationRequest { FunctionName = v, Description = "x" }, ct),
        ];
        var before = fixture.Harness.Sandbox.Requests.Last;
        foreach (var operation in operations)
        {
            foreach (var value in HostileNames.Values.Concat(HostileNames.Suffixes.Select(s => "orders-api" + s)).Append(""))
            {
                var call = () => operation(value);
                await call.Should().ThrowAsync<ToolException>();
            }
        }

        fixture.Harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }

    [Fact]
    public async Task LogsClient_EveryOperationRefusesHostileGroupAndStreamNamesBeforeSending()
    {
        var logs = (await ClientsAsync()).Logs;
        var ct = CancellationToken.None;
        Func<string, Task>[] operations =
        [
            v => logs.DescribeLogStreamsAsync(new DescribeLogStreamsRequest { LogGroupName = v }, ct),
            v => logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = v, LogStreamName = "s" }, ct),
            v => logs.GetLogEventsAsync(new GetLogEventsRequest { LogGroupName = "/aws/lambda/orders-api", LogStreamName = v + ":*" }, ct),
            v => logs.FilterLogEventsAsync(new FilterLogEventsRequest { LogGroupName = v }, ct),
            v => logs.FilterLogEventsAsync(new FilterLogEventsRequest { LogGroupName = "/aws/lambda/orders-api", LogStreamNames = [v + "*"] }, ct),
            v => logs.FilterLogEventsAsync(new FilterLogEventsRequest { LogGroupName = "/aws/lambda/orders-api", FilterPattern = v + new string('x', 1024) }, ct),
        ];
        var before = fixture.Harness.Sandbox.Requests.Last;
        foreach (var operation in operations)
        {
            foreach (var value in new[] { "a?b", "a b", "a\0b", "ünï", "a:b", new string('g', 600) })
            {
                var call = () => operation(value);
                await call.Should().ThrowAsync<ToolException>().WithMessage("Invalid *");
            }
        }

        fixture.Harness.Sandbox.Requests.Since(before).Should().BeEmpty();
    }
}
