using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Core.Operations;

/// <summary>How the host stops (configuration section <c>Host</c>).</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Host";

    /// <summary>
    /// How long a stop waits for sends in flight (answers, survey invitations, digests) to finish
    /// before it gives them up and leaves them for the next start. Keep it below the service
    /// manager's own limit (systemd's TimeoutStopSec, Kubernetes' terminationGracePeriodSeconds).
    /// </summary>
    [Range(1, 600)]
    public int ShutdownTimeoutSeconds { get; set; } = 20;
}
