using GrowthBot.Core.Conversations;

namespace GrowthBot.Core.Access;

/// <summary>Decides whether a sender may read metrics. Everyone may answer surveys.</summary>
public interface IAccessPolicy
{
    /// <summary>True when <paramref name="requester"/> is staff of the home organisation.</summary>
    bool IsStaff(Requester requester);
}
