using System.ComponentModel.DataAnnotations;

namespace GrowthBot.Connectors.Stripe;

/// <summary>The Stripe connector's settings (configuration section <c>Stripe</c>).</summary>
public sealed class StripeOptions : IValidatableObject
{
    public const string SectionName = "Stripe";

    /// <summary>
    /// The webhook endpoint's signing secret(s) (<c>whsec_…</c>), comma-separated while rolling a secret.
    /// Empty: the connector is off and <c>/webhooks/stripe</c> answers 503.
    /// </summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a signature's timestamp may be, in seconds (Stripe's default is 300).</summary>
    [Range(1, 3600)]
    public long ToleranceSeconds { get; set; } = 300;

    /// <summary>The one currency MRR and orders are reported in (ISO 4217, lower case as Stripe writes it).</summary>
    [Required]
    public string ReportingCurrency { get; set; } = "usd";

    /// <summary>
    /// Units of the reporting currency per unit of another currency (<c>Stripe__Rates__eur=1.08</c>).
    /// An amount in a currency not listed here (nor the reporting one) is refused, never mixed in.
    /// </summary>
    public Dictionary<string, decimal> Rates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Segment for customers whose Stripe metadata has no <c>segment</c>.</summary>
    public string DefaultSegment { get; set; } = "unassigned";

    /// <summary>Acquisition channel for customers whose Stripe metadata has no <c>acquisition_channel</c>.</summary>
    public string DefaultChannel { get; set; } = "unknown";

    /// <summary>
    /// Accept events whose API version is not Stripe.net's own (2026-10-28.endive). Off by default:
    /// create the endpoint with that version instead (see docs/connectors.md).
    /// </summary>
    public bool AllowApiVersionMismatch { get; set; }

    /// <summary>
    /// The API key the backfill reads with: a restricted key (<c>rk_…</c>) with read access to
    /// Customers, Subscriptions and Invoices, or a secret key (<c>sk_…</c>). Only
    /// <c>growthbot connect stripe --backfill</c> needs it; webhooks do not.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>Where Stripe's API answers (<c>https://api.stripe.com</c>); tests point it at a loopback fake.</summary>
    [Required]
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>How long one API request may take before it is abandoned and retried, in seconds (Stripe.net's default is 80).</summary>
    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 80;

    /// <summary>How many times the backfill tries one page (rate limits, 5xx, timeouts) before it stops.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    public bool Enabled => !string.IsNullOrWhiteSpace(WebhookSecret);

    public IReadOnlyList<string> Secrets =>
        (WebhookSecret ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (currency, rate) in Rates)
        {
            if (rate <= 0) yield return new ValidationResult($"Stripe:Rates:{currency} must be above 0.", [nameof(Rates)]);
        }
        if (!Uri.TryCreate(ApiBase, UriKind.Absolute, out var apiBase) || (apiBase.Scheme != Uri.UriSchemeHttps && apiBase.Scheme != Uri.UriSchemeHttp))
        {
            yield return new ValidationResult("Stripe:ApiBase must be an absolute http(s) URL such as https://api.stripe.com.", [nameof(ApiBase)]);
        }
        if (!string.IsNullOrWhiteSpace(SecretKey) && !SecretKey.StartsWith("sk_", StringComparison.Ordinal) && !SecretKey.StartsWith("rk_", StringComparison.Ordinal))
        {
            yield return new ValidationResult("Stripe:SecretKey must be a restricted key (rk_…) or a secret key (sk_…).", [nameof(SecretKey)]);
        }
        if (Secrets.Any(secret => !secret.StartsWith("whsec_", StringComparison.Ordinal)))
        {
            yield return new ValidationResult("Stripe:WebhookSecret must be the endpoint's signing secret (whsec_…).", [nameof(WebhookSecret)]);
        }
    }
}
