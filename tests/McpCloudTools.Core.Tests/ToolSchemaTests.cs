using System.Text.Json;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Tests;

public sealed class ToolSchemaTests
{
    [Fact]
    public void Compact_DropsNullDefaultsAndTheNullTypeOfOptionalParameters_AndKeepsTheRest()
    {
        var schema = JsonDocument.Parse("""
            {"type":"object","properties":{
              "id":{"description":"Id","type":"string"},
              "queue":{"description":"Queue","type":["string","null"],"default":null},
              "tags":{"type":["array","null"],"items":{"type":"string"},"default":null},
              "tail":{"type":"integer","default":50}},
             "required":["id"]}
            """).RootElement;

        var compact = ToolSchema.Compact(schema).GetRawText();

        compact.Should().Be("""{"type":"object","properties":{"id":{"description":"Id","type":"string"},"queue":{"description":"Queue","type":"string"},"tags":{"type":"array","items":{"type":"string"}},"tail":{"type":"integer","default":50}},"required":["id"]}""");
    }

    [Fact]
    public void Compact_LeavesASchemaWithoutOptionalNullsAlone()
    {
        var schema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement;

        ToolSchema.Compact(schema).GetRawText().Should().Be("""{"type":"object","properties":{}}""");
    }
}
