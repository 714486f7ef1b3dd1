using System.Globalization;
using System.Security.Cryptography;
using GrowthBot.Core.Ports;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// The charts the bot rendered, so that Teams clients can fetch them from
/// <c>GET /teams/images/{id}.png</c> on the bot's own public host: a link keeps the message
/// small and lets clients cache the image, and a chart over the card image limit still shows. The id is the PNG's SHA-256, so only bytes the bot
/// itself put here can be served and the same chart is stored once. The newest charts are kept in
/// memory (bounded by count and bytes, the oldest go first); with an <see cref="IChartImageStore"/>
/// every chart is also kept in the store, so cards posted before a restart or an eviction still
/// show theirs. Links are signed and expire (<see cref="ChartLinkSigner"/>): a chart is not
/// readable by anyone who merely guesses or keeps its id.
/// </summary>
internal sealed class TeamsImageCache(IOptions<TeamsOptions> options, IChartImageStore? store = null, TimeProvider? time = null, IDataProtectionProvider? dataProtection = null)
{
    /// <summary>At most this many charts are kept.</summary>
    public const int MaxImages = 64;

    /// <summary>At most this many bytes of PNG are kept.</summary>
    public const long MaxBytes = 16L * 1024 * 1024;

    private readonly Dictionary<string, byte[]> _images = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private readonly Lock _gate = new();
    private long _bytes;
    private readonly ChartLinkSigner _signer = new(options.Value.ChartLinkKey, dataProtection);
    private readonly TimeSpan _lifetime = options.Value.ChartLinkLifetime;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The public base URL (with a trailing slash), or null when <c>Teams:PublicBaseUrl</c> is not set.</summary>
    private Uri? BaseUrl { get; } = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
        ? null
        : new Uri(options.Value.PublicBaseUrl.Trim().TrimEnd('/') + "/", UriKind.Absolute);

    /// <summary>True when charts are served by the host rather than embedded.</summary>
    public bool Enabled => BaseUrl is not null;

    /// <summary>
    /// Keeps the PNG and returns its public URL, signed and valid for <c>Teams:ChartLinkLifetime</c>;
    /// null when hosting is off or the image is larger than the whole cache.
    /// </summary>
    public string? UrlFor(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (BaseUrl is null || png.Length == 0 || png.Length > MaxBytes) return null;
        var id = Convert.ToHexStringLower(SHA256.HashData(png));
        var now = _time.GetUtcNow();
        // Stored before the link is handed out, so no card ever links to a chart a restart would lose.
        if (Remember(id, png)) store?.Save(id, png, now);
        var expires = (now + _lifetime).ToUnixTimeSeconds();
        var query = string.Create(CultureInfo.InvariantCulture, $"exp={expires}&sig={Uri.EscapeDataString(_signer.Sign(id, expires))}");
        return new Uri(BaseUrl, $"teams/images/{id}.png?{query}").ToString();
    }

    /// <summary>
    /// The PNG a signed link stands for, and how long it stays valid; null for an unknown id, an
    /// expired link or a signature the bot did not make (the caller cannot tell which).
    /// </summary>
    public (byte[] Png, TimeSpan ValidFor)? Open(string id, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)) return null;
        var now = _time.GetUtcNow();
        if (!_signer.IsValid(id, expiresAt, signature, now)) return null;
        return Find(id) is { } png ? (png, DateTimeOffset.FromUnixTimeSeconds(expiresAt) - now) : null;
    }

    /// <summary>The PNG with this id, if the bot rendered it and still has it (in memory, else in the store).</summary>
    public byte[]? Find(string id)
    {
        if (id is not { Length: 64 } || !id.All(char.IsAsciiHexDigitLower)) return null;
        lock (_gate)
        {
            if (_images.TryGetValue(id, out var png)) return png;
        }
        if (store?.Find(id) is not { } stored) return null;
        Remember(id, stored);
        return stored;
    }

    /// <summary>Keeps the PNG in memory; false if it was there already.</summary>
    private bool Remember(string id, byte[] png)
    {
        lock (_gate)
        {
            if (_images.ContainsKey(id)) return false;
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
            return true;
        }
    }
}
