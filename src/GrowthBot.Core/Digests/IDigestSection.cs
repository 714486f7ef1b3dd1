using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Digests;

/// <summary>
/// A part another feature adds at the end of a digest (the follow-up counts, say): the blocks it
/// wants for this request's period, or none. Registered as services; the composer asks each in turn.
/// </summary>
public interface IDigestSection
{
    IReadOnlyList<ChatBlock> Blocks(DigestRequest request);
}
