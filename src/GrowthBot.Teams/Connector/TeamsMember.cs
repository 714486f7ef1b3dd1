namespace GrowthBot.Teams.Connector;

/// <summary>
/// A conversation member as the connector describes them. <see cref="UserRole"/> is Teams' "user",
/// "guest" or "anonymous"; <see cref="TenantId"/> is the tenant the user belongs to (another
/// tenant's id for an external, federated user).
/// </summary>
internal sealed record TeamsMember(string Id, string? AadObjectId, string? Name, string? TenantId, string? UserRole)
{
    /// <summary>Guests invited into the tenant and anonymous meeting participants.</summary>
    public bool IsGuest => string.Equals(UserRole, "guest", StringComparison.OrdinalIgnoreCase) || string.Equals(UserRole, "anonymous", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A conversation the connector created: its id, and the first activity's id when one was sent with it.</summary>
internal sealed record CreatedConversation(string Id, string? ActivityId);
