using System.Text.Json.Nodes;
using McpCloudTools.Core.Plugins;

namespace McpCloudTools.Core.Tests;

public sealed class CompactSchemaTests
{
    [Fact]
    public void OptionalParameter_LosesNullDefaultAndNullType()
    {
        var node = JsonNode.Parse("""{"description":"x","type":["string","null"],"default":null}""")!;
        PluginToolFactory.Compact(node).ToJsonString().Should().Be("""{"description":"x","type":"string"}""");
    }

    [Fact]
    public void RealDefaultsAndRequiredTypes_AreKept()
    {
        PluginToolFactory.Compact(JsonNode.Parse("""{"type":"integer","default":100}""")!).ToJsonString().Should().Be("""{"type":"integer","default":100}""");
        PluginToolFactory.Compact(JsonNode.Parse("""{"type":["string","null"]}""")!).ToJsonString().Should().Be("""{"type":["string","null"]}""");
    }
}
