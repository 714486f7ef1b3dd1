using System.Net;

namespace GrowthBot.Teams.Auth;

/// <summary>What counts as this machine: development mode and http metadata are allowed for it only.</summary>
internal static class Loopback
{
    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsLoopback(address));
}
