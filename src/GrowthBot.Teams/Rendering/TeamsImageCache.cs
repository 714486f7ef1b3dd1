using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// The charts the bot rendered, kept in memory so that Teams clients can fetch them from
/// <c>GET /teams/images/{id}.png</c> on the bot's own public host: a base64 chart (~65 KB) does
/// not fit a Teams message (28 KB), a URL does. The id is the PNG's SHA-256, so only bytes the bot
/// itself put here can be served and the same chart is stored once. Bounded by count and bytes;
/// the oldest charts go first (a digest is read the day it is posted, and Teams caches what it showed).
/// </summary>
internal sealed class TeamsImageCache(IOptions<TeamsOptions> options)
{
    /// <summary>At most this many charts are kept.</summary>
    public const int MaxImages = 64;

    /// <summary>At most this many bytes of PNG are kept.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    private readonly Dictionary<string, byte[]> _images = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private readonly Lock _gate = new();
    private long _bytes;

    /// <summary>The public base URL (with a trailing slash), or null when <c>Teams:PublicBaseUrl</c> is not set.</summary>
    private Uri? BaseUrl { get; } = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
        ? null
        : new Uri(options.Value.PublicBaseUrl.Trim().TrimEnd('/') + "/", UriKind.Absolute);

    /// <summary>True when charts are served by the host rather than embedded.</summary>
    public bool Enabled => BaseUrl is not null;

    /// <summary>Keeps the PNG and returns its public URL; null when hosting is off or the image is larger than the whole cache.</summary>
    public string? UrlFor(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (BaseUrl is null || png.Length == 0 || png.Length > MaxBytes) return null;
        var id = Convert.ToHexStringLower(SHA256.HashData(png));
        lock (_gate)
        {
            if (!_images.ContainsKey(id))
            {
                _images[id] = png;
                _order.AddLast(id);
                _bytes += png.Length;
                while (_images.Count > MaxImages || _bytes > MaxBytes)
                {
                    var oldest = _order.First!.Value;
                    _order.RemoveFirst();
                    _bytes -= _images[oldest].Length;
                    _images.Remove(oldest);
                }
            }
        }
        return new Uri(BaseUrl, $"teams/images/{id}.png").ToString();
    }

    /// <summary>The PNG with this id, if the bot rendered it and still has it.</summary>
    public byte[]? Find(string id)
    {
        if (id is not { Length: 64 }) return null;
        lock (_gate) return _images.TryGetValue(id, out var png) ? png : null;
    }
}
