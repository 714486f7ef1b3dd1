using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Connectors.Zendesk;

/// <summary>Which Zendesk id becomes the GrowthBot customer id of a ticket.</summary>
public enum ZendeskCustomerId
{
    /// <summary>The ticket's organization (its requester when it has none).</summary>
    Organization,
    /// <summary>The ticket's requester.</summary>
    Requester,
}

/// <summary>The Zendesk connector's settings (configuration section <c>Zendesk</c>).</summary>
public sealed class ZendeskOptions
{
    public const string SectionName = "Zendesk";

    /// <summary>
    /// The webhook's signing secret(s) (Admin Center → Webhooks → the webhook → Reveal secret),
    /// comma-separated while rolling a secret. Empty: the connector is off and <c>/webhooks/zendesk</c> answers 503.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How far a signature's timestamp may be from now, in seconds (5 minutes by default).</summary>
    [Range(1, 3600)]
    public long ToleranceSeconds { get; set; } = 300;

    /// <summary>Which Zendesk id is the ticket's customer id (match it to your billing customers' ids).</summary>
    public ZendeskCustomerId CustomerId { get; set; } = ZendeskCustomerId.Organization;

    /// <summary>Prepended to the Zendesk id to make the customer id (<c>Zendesk__CustomerIdPrefix=zd-org-</c>); empty by default.</summary>
    public string CustomerIdPrefix { get; set; } = string.Empty;

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookSecret);

    public IReadOnlyList<string> Secrets =>
        (WebhookSecret ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
