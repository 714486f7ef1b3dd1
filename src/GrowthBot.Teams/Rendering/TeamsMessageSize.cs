using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// Teams refuses a bot message that is too large (the connector answers 413 "MessageSizeTooBig").
/// Two limits have been documented: 28 KB for the whole activity, and, in Teams' current
/// documentation, 40 KB of payload counted as UTF-16 without base64-encoded images. The
/// renderer keeps what it builds under both, with room left for the envelope fields the connector
/// client adds when it posts (conversation, from, recipient, replyToId, channelData).
/// </summary>
internal static partial class TeamsMessageSize
{
    /// <summary>The whole activity, in bytes of UTF-8 JSON, images included.</summary>
    public const int MaxActivityBytes = 28 * 1024;

    /// <summary>The payload as UTF-16 (two bytes a character), base64 images not counted.</summary>
    public const int MaxUtf16Bytes = 40 * 1024;

    /// <summary>Reserved for the fields the connector client adds to the activity before posting it, in UTF-8 bytes.</summary>
    public const int EnvelopeReserve = 2 * 1024;

    /// <summary>What the rendered activity (type, summary, attachments) may weigh in UTF-8 bytes.</summary>
    public const int Budget = MaxActivityBytes - EnvelopeReserve;

    /// <summary>What the rendered activity may weigh in UTF-16 bytes without images.</summary>
    public const int Utf16Budget = MaxUtf16Bytes - (2 * EnvelopeReserve);

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

    /// <summary>True when the node fits both budgets.</summary>
    public static bool Fits(JsonNode node) => Measure(node) <= Budget && MeasureUtf16WithoutImages(node) <= Utf16Budget;

    [GeneratedRegex("(?<=data:image/[a-z+.-]+;base64,)[A-Za-z0-9+/=]+", RegexOptions.CultureInvariant)]
    private static partial Regex ImageData();
}
