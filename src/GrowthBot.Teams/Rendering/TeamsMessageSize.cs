using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// Teams refuses a bot message that is too large (the connector answers 413 "MessageSizeTooBig").
/// Microsoft's "Format your bot messages" documents the limit as about 100 KB of message counted
/// as UTF-16 (text, image links, mentions), base64-encoded images not counted, and recommends
/// staying within 80 KB to be sure of delivery; the 28 KB figure often quoted is the
/// incoming-webhook limit, not a bot's. Card images are limited on their own (1 MB each, in the
/// Adaptive Card guidance for Teams). The renderer keeps what it builds within the 80 KB, with
/// room for the envelope fields the connector client adds (conversation, from, recipient,
/// replyToId, channelData), and keeps every chart that is within the image limit.
/// </summary>
internal static partial class TeamsMessageSize
{
    /// <summary>The documented approximate limit: the payload as UTF-16 (two bytes a character), base64 images not counted.</summary>
    public const int MaxUtf16Bytes = 100 * 1024;

    /// <summary>What Microsoft recommends staying within to guarantee delivery.</summary>
    public const int RecommendedUtf16Bytes = 80 * 1024;

    /// <summary>The largest image a card may carry.</summary>
    public const int MaxImageBytes = 1024 * 1024;

    /// <summary>Reserved for the fields the connector client adds to the activity before posting it, in UTF-8 bytes.</summary>
    public const int EnvelopeReserve = 2 * 1024;

    /// <summary>What the rendered activity may weigh in UTF-16 bytes without images.</summary>
    public const int Utf16Budget = RecommendedUtf16Bytes - (2 * EnvelopeReserve);

    /// <summary>The activity summary and the card's fallbackText are notification and fallback text, not the message itself: cut at this.</summary>
    public const int MaxSummaryChars = 1000;

    /// <summary>No text is cut shorter than this while shrinking; past it, whole trailing parts are left out.</summary>
    public const int MinTextChars = 60;

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The node's size as UTF-8 JSON with System.Text.Json's default escaping. That escaping writes
    /// every non-ASCII character as <c>\uXXXX</c>, so this is an upper bound of what any serializer
    /// puts on the wire for the same node.
    /// </summary>
    public static int Measure(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Encoding.UTF8.GetByteCount(node.ToJsonString());
    }

    /// <summary>The node's JSON as UTF-16 bytes, with the base64 data of <c>data:</c> image URLs left out.</summary>
    public static int MeasureUtf16WithoutImages(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return 2 * ImageData().Replace(node.ToJsonString(Unescaped), string.Empty).Length;
    }

    /// <summary>True when the node fits the message budget and each of its data images the image limit.</summary>
    public static bool Fits(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var json = node.ToJsonString(Unescaped);
        if (2 * ImageData().Replace(json, string.Empty).Length > Utf16Budget) return false;
        // base64: 4 characters for every 3 bytes.
        return ImageData().Matches(json).All(image => image.Length / 4L * 3 <= MaxImageBytes);
    }

    [GeneratedRegex("(?<=data:image/[a-z+.-]+;base64,)[A-Za-z0-9+/=]+", RegexOptions.CultureInvariant)]
    private static partial Regex ImageData();
}
