namespace McpCloudTools.Testing;

/// <summary>
/// Names an attacker (or a prompt-injected agent) would try: each one, spliced unescaped into a URL, cuts the path,
/// moves up a level, smuggles a query, or breaks a protocol; the rest are malformed in ways services refuse.
/// </summary>
public static class HostileNames
{
    /// <summary>Suffixes to put after a real name: if any reaches a URL unescaped, the request reads the real object.</summary>
    public static IReadOnlyList<string> Suffixes { get; } = ["#", "#/log", "?pretty=true", "/..", "/../x", "%23", "%2F..", "\0", "\r\nX-Injected: 1"];

    /// <summary>Whole values that are no valid name of any service.</summary>
    public static IReadOnlyList<string> Values { get; } =
    [
        "..", ".", "a/b", "a#b", "a?b=c", "%2e%2e", "a%2Fb", "a\0b", "a b", "ünïcödé", "a\u202Eb", "a*b", "a\tb", new string('a', 300),
        "kube-system/../default",
    ];
}
