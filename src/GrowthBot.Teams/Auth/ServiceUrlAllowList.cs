namespace GrowthBot.Teams.Auth;

/// <summary>
/// The Teams connector origins a service URL may have when no token claim names it: the cloud's
/// documented ones and <c>Teams:AllowedServiceUrls</c>. A URL matches a prefix only with the same
/// scheme, host and port and a path under the prefix's path; user info and queries never match
/// (<c>https://smba.trafficmanager.net@evil.example/</c> is not Teams).
/// </summary>
internal sealed class ServiceUrlAllowList(IEnumerable<string> prefixes)
{
    private readonly List<Uri> _prefixes = prefixes
        .Select(prefix => Uri.TryCreate(prefix?.Trim(), UriKind.Absolute, out var uri) ? uri : null)
        .OfType<Uri>()
        .ToList();

    public static ServiceUrlAllowList For(TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServiceUrlAllowList(options.CloudSettings.ServiceUrls.Concat(options.AllowedServiceUrls));
    }

    public bool Allows(string? serviceUrl)
    {
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var url) || url.UserInfo.Length > 0 || url.Query.Length > 0) return false;
        return _prefixes.Any(prefix =>
            string.Equals(url.Scheme, prefix.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(url.Host, prefix.Host, StringComparison.OrdinalIgnoreCase)
            && url.Port == prefix.Port
            && (url.AbsolutePath + "/").StartsWith(prefix.AbsolutePath.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase));
    }
}
