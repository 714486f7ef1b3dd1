using System.Net;

namespace GrowthBot.Host.Api.Auth;

/// <summary>
/// Where a request really comes from, as far as the admin credentials care. A reverse proxy or tunnel
/// on this machine (nginx, ngrok, cloudflared) connects from loopback, so the connection's address
/// alone would turn every outsider behind it into "this machine"; proxies say so in forwarding
/// headers, and a browser led here by DNS rebinding says so in its <c>Host</c>.
/// </summary>
internal static class RequestOrigin
{
    /// <summary>The headers proxies and tunnels add for the client they forward (any one of them is enough).</summary>
    public static readonly IReadOnlyList<string> ForwardingHeaders =
    [
        "Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Server",
        "X-Real-IP", "X-Original-For", "X-Client-IP", "True-Client-IP", "CF-Connecting-IP", "Fly-Client-IP", "X-Original-Host", "Via",
    ];

    /// <summary>True when any forwarding header is present: the connection is a proxy's, not the caller's.</summary>
    public static bool IsForwarded(HttpRequest request) => ForwardingHeaders.Any(request.Headers.ContainsKey);

    /// <summary>True for a connection from this machine that no proxy forwarded.</summary>
    public static bool IsDirectFromThisMachine(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote) && !IsForwarded(context.Request);

    /// <summary>True when <c>Host</c> names this machine: <c>localhost</c> (or a name under it) or a loopback address, any port.</summary>
    public static bool HostIsLoopback(HttpRequest request)
    {
        var host = request.Host.Host;
        if (string.IsNullOrEmpty(host)) return false;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>True when <c>Host</c> names this machine or one of <paramref name="allowed"/> (exact names, any port).</summary>
    public static bool HostIsAllowed(HttpRequest request, IEnumerable<string> allowed) =>
        HostIsLoopback(request) || allowed.Any(name => string.Equals(name.Trim(), request.Host.Host, StringComparison.OrdinalIgnoreCase));
}
