using System.Text.Json;
using McpCloudTools.Core.Plugins;
using McpCloudTools.Testing;

namespace McpCloudTools.Core.Tests;

public sealed class ToolSchemaTests
{
    [Fact]
    public void Compact_DropsTheNullTypeAndEmptyDefaultsOfOptionalParametersOnly()
    {
        using var schema = JsonDocument.Parse("""
            {"type":"object","properties":{
              "id":{"description":"Id","type":"string"},
              "name":{"description":"Name","type":["string","null"],"default":null},
              "limit":{"type":["integer","null"],"default":null},
              "force":{"type":"boolean","default":false},
              "page":{"type":"integer","default":50},
              "ids":{"type":["array","null"],"items":{"type":["string","null"]},"default":null},
              "must":{"type":["string","null"]}},
             "required":["id","must"]}
            """);

        var compact = ToolSchema.Compact(schema.RootElement).GetRawText();

        compact.Should().Be("""{"type":"object","properties":{"id":{"description":"Id","type":"string"},"name":{"description":"Name","type":"string"},"limit":{"type":"integer"},"force":{"type":"boolean"},"page":{"type":"integer","default":50},"ids":{"type":"array","items":{"type":"string"}},"must":{"type":["string","null"]}},"required":["id","must"]}""");
    }

    [Fact]
    public async Task CompactSchemas_StillBindOmittedAndGivenArguments()
    {
        await using var h = await McpHarness.StartAsync(s => s.AddPlugin<TestPlugin>());

        var list = (await h.Client.ListToolsAsync()).Single(t => t.Name == "test_item_list").ProtocolTool;

        list.InputSchema.GetProperty("properties").GetProperty("limit").GetRawText().Should().Be("""{"description":"Default 50","type":"integer"}""");
        (await h.CallAsync("test_item_list")).Text().Should().Contain("items: 25");
        (await h.CallAsync("test_item_list", new { limit = 3, cursor = (string?)null })).Text().Should().Contain("3 of 25 shown");
    }
}
