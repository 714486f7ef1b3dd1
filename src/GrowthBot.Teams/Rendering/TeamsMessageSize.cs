using System.Text;
using System.Text.Json.Nodes;

namespace GrowthBot.Teams.Rendering;

/// <summary>
/// Teams refuses a bot message larger than about 28 KB — the whole activity, card included
/// (the connector answers 413 "Message size too large"). The renderer keeps what it builds under
/// <see cref="Budget"/>, which leaves room for the envelope fields the connector client adds when
/// it posts (conversation, from, recipient, replyToId, channelData).
/// </summary>
internal static class TeamsMessageSize
{
    /// <summary>Teams' documented limit for one message, in bytes.</summary>
    public const int MaxActivityBytes = 28 * 1024;

    /// <summary>Reserved for the fields the connector client adds to the activity before posting it.</summary>
    public const int EnvelopeReserve = 2 * 1024;

    /// <summary>What the rendered activity (type, summary, attachments) may weigh.</summary>
    public const int Budget = MaxActivityBytes - EnvelopeReserve;

    /// <summary>The activity summary and the card's fallbackText are notification and fallback text, not the message itself: cut at this.</summary>
    public const int MaxSummaryChars = 1000;

    /// <summary>No text is cut shorter than this while shrinking; past it, whole trailing parts are left out.</summary>
    public const int MinTextChars = 60;

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

    /// <summary>True when the node fits the rendering budget.</summary>
    public static bool Fits(JsonNode node) => Measure(node) <= Budget;
}
