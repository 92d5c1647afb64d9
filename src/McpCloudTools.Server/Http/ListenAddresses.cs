using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using McpCloudTools.Core.Output;

namespace McpCloudTools.Server.Http;

/// <summary>What one listen address makes Kestrel bind.</summary>
public enum BindKind
{
    /// <summary><c>localhost</c>: Kestrel binds 127.0.0.1 and [::1].</summary>
    Localhost,

    /// <summary>One IP address.</summary>
    Address,

    /// <summary><c>*</c>, <c>+</c>: every interface.</summary>
    AnyAddress,
}

/// <summary>One parsed listen address: what Kestrel binds for it.</summary>
/// <param name="Text">The address as given.</param>
/// <param name="Kind">What is bound.</param>
/// <param name="Ip">The IP address for <see cref="BindKind.Address"/>.</param>
/// <param name="Port">The port (0: any free one).</param>
public sealed record ListenAddress(string Text, BindKind Kind, IPAddress? Ip, int Port)
{
    /// <summary>Whether only this machine can connect.</summary>
    public bool IsLoopback => Kind == BindKind.Localhost || (Kind == BindKind.Address && IPAddress.IsLoopback(Ip!));
}

/// <summary>
/// The HTTP listen addresses (<c>--urls</c>), parsed once with Kestrel's own rules (<see cref="BindingAddress.Parse"/>:
/// everything after <c>://</c> up to the first <c>/</c> is the host, the text after the last <c>:</c> is the port
/// if it is a number) and then bound explicitly, so that what the loopback guard decides is what Kestrel binds.
/// Kestrel turns any host that is neither <c>localhost</c> nor an IP address into "every interface": so
/// <c>http://x@127.0.0.1:5091</c> (host <c>x@127.0.0.1</c>) or <c>http://127.0.0.1:5080?a</c> would listen
/// everywhere. Such forms (user info, paths, queries, fragments, host names, shortened IPv4) are refused.
/// </summary>
public static class ListenAddresses
{
    /// <summary>What a valid address looks like, for error messages.</summary>
    public const string Examples = "http://127.0.0.1:5080 or http://localhost:5080 or http://[::1]:5080 (this machine only), " +
        "or with --api-token http://0.0.0.0:5080 or http://*:5080 (every interface)";

    /// <summary>Parses <c>;</c>-separated addresses; throws <see cref="FormatException"/> saying what is wrong and what is valid.</summary>
    public static IReadOnlyList<ListenAddress> Parse(string urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var entries = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            throw new FormatException($"--urls '{Short(urls)}' names no address. Use {Examples}.");
        }

        return [.. entries.Select(ParseOne)];
    }

    /// <summary>
    /// The bound addresses (Kestrel's <c>IServerAddressesFeature</c>) that are not loopback; checked after start, so
    /// a server meant for this machine only never serves beyond it, whatever configured Kestrel.
    /// </summary>
    public static IReadOnlyList<string> NotLoopback(IEnumerable<string> boundAddresses)
    {
        ArgumentNullException.ThrowIfNull(boundAddresses);
        return [.. boundAddresses.Where(a =>
        {
            try
            {
                var bound = BindingAddress.Parse(a);
                var host = bound.Host.Trim('[', ']');
                return !(host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
                         (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip)));
            }
            catch (FormatException)
            {
                return true;
            }
        })];
    }

    /// <summary>Binds <paramref name="addresses"/> on Kestrel exactly as parsed.</summary>
    public static void Bind(KestrelServerOptions kestrel, IEnumerable<ListenAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (var a in addresses)
        {
            switch (a.Kind)
            {
                case BindKind.Localhost:
                    kestrel.ListenLocalhost(a.Port);
                    break;
                case BindKind.AnyAddress:
                    kestrel.ListenAnyIP(a.Port);
                    break;
                default:
                    kestrel.Listen(a.Ip!, a.Port);
                    break;
            }
        }
    }

    private static ListenAddress ParseOne(string text)
    {
        string Bad(string why) => $"--urls '{Short(text)}' is not a usable listen address: {why}. Use {Examples}.";

        BindingAddress parsed;
        try
        {
            parsed = BindingAddress.Parse(text);
        }
        catch (FormatException)
        {
            throw new FormatException(Bad("it is not a URL (scheme://host:port)"));
        }

        if (parsed.IsUnixPipe || parsed.IsNamedPipe)
        {
            throw new FormatException(Bad("Unix sockets and named pipes are not supported"));
        }

        if (!parsed.Scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException(Bad($"the scheme must be http ('{Short(parsed.Scheme)}' given; for TLS, put a reverse proxy in front)"));
        }

        var host = parsed.Host;
        if (host.Contains('@', StringComparison.Ordinal))
        {
            throw new FormatException(Bad("it has user info (name@); a listen address has none"));
        }

        if (parsed.PathBase.Length > 0 || text.AsSpan(text.IndexOf("://", StringComparison.Ordinal) + 3).IndexOfAny('?', '#') >= 0)
        {
            throw new FormatException(Bad("it has a path, query or fragment; give scheme, host and port only"));
        }

        if (parsed.Port is < 0 or > 65535)
        {
            throw new FormatException(Bad($"port {parsed.Port} is out of range (0-65535; 0 picks a free port)"));
        }

        if (host is "*" or "+")
        {
            return new ListenAddress(text, BindKind.AnyAddress, null, parsed.Port);
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new ListenAddress(text, BindKind.Localhost, null, parsed.Port);
        }

        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (IPAddress.TryParse(bracketed ? host[1..^1] : host, out var ip))
        {
            if (ip.AddressFamily == AddressFamily.InterNetworkV6 && !bracketed)
            {
                throw new FormatException(Bad("an IPv6 address must be in brackets, e.g. http://[::1]:5080"));
            }

            if (ip.AddressFamily == AddressFamily.InterNetwork && ip.ToString() != host)
            {
                throw new FormatException(Bad($"write the IPv4 address in full ({ip}), not as '{Short(host)}'"));
            }

            return new ListenAddress(text, ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any) ? BindKind.AnyAddress : BindKind.Address, ip, parsed.Port);
        }

        if (!bracketed && host.Contains(':', StringComparison.Ordinal))
        {
            throw new FormatException(Bad($"the port in '{Short(host)}' is not a number"));
        }

        // Kestrel would bind every interface for a host name: say so rather than guess what was meant.
        throw new FormatException(Bad($"'{Short(host)}' is neither localhost nor an IP address, and Kestrel would listen on every interface for it"));
    }

    private static string Short(string value) => Fmt.Clip(value, 80);
}
