using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace GrowthBot.Bench.Webhooks;

/// <summary>One Stripe event the bench sends: its id, type and body (UTF-8 JSON, as Stripe posts it).</summary>
internal sealed record StripeBenchEvent(string Id, string Type, byte[] Body);

/// <summary>
/// Stripe events for a pool of Stripe customers, built from the connector tests' fixture JSON
/// (Stripe's own shapes, API 2026-10-28.endive) with ids, amounts and timestamps changed per event,
/// and signed the way Stripe signs webhook deliveries.
/// </summary>
internal sealed class StripeEvents
{
    private readonly JsonObject _customerCreated = Load("customer.created");
    private readonly JsonObject _customerUpdated = Load("customer.updated");
    private readonly JsonObject _subscriptionCreated = Load("customer.subscription.created");
    private readonly JsonObject _subscriptionUpdated = Load("customer.subscription.updated");
    private readonly JsonObject _invoicePaid = Load("invoice.paid");
    private readonly int[] _quantity;
    private static readonly string[] Segments = ["SMB", "Mid-Market", "Enterprise"];
    private static readonly string[] Channels = ["organic", "paid-search", "partner", "outbound"];

    public StripeEvents(int customers) => _quantity = new int[customers];

    public int Customers => _quantity.Length;

    public static string CustomerId(int k) => string.Create(CultureInfo.InvariantCulture, $"cus_Bench{k:D7}");

    private static string SubscriptionId(int k) => string.Create(CultureInfo.InvariantCulture, $"sub_Bench{k:D7}");

    /// <summary>What Stripe sends when the pool's customers sign up: customer.created, then customer.subscription.created, per customer.</summary>
    public IReadOnlyList<StripeBenchEvent> SignUps(long createdFrom)
    {
        var events = new List<StripeBenchEvent>(2 * Customers);
        for (var k = 0; k < Customers; k++)
        {
            var created = createdFrom + k;
            _quantity[k] = 1 + (k % 5);
            events.Add(Customer(_customerCreated, "customer.created", string.Create(CultureInfo.InvariantCulture, $"evt_BenchSignup{k:D7}c"), k, created, created));
            var subscription = Subscription(_subscriptionCreated, k, created, _quantity[k]);
            subscription["data"]!["object"]!["start_date"] = created;
            events.Add(Finish(subscription, "customer.subscription.created", string.Create(CultureInfo.InvariantCulture, $"evt_BenchSignup{k:D7}s"), created));
        }
        return events;
    }

    /// <summary>
    /// The measured stream, round-robin over the pool: of every 20 events, 12 customer.subscription.updated
    /// (a seat-count change, so an MRR change for the engine), 5 invoice.paid (an order) and 3
    /// customer.updated; event <paramref name="first"/> + i is dated <paramref name="createdFrom"/> + i ÷ rate.
    /// </summary>
    public IReadOnlyList<StripeBenchEvent> Stream(int count, int first, long createdFrom, int rate)
    {
        var events = new StripeBenchEvent[count];
        for (var i = 0; i < count; i++)
        {
            var n = first + i;
            var k = n % Customers;
            var created = createdFrom + (i / rate);
            var id = string.Create(CultureInfo.InvariantCulture, $"evt_BenchLoad{n:D9}");
            // The mix turns by one each round over the pool, so every customer gets every kind of event.
            events[i] = ((n + (n / Customers)) % 20) switch
            {
                < 12 => SeatChange(k, id, created),
                < 17 => InvoicePaid(k, n, id, created),
                _ => Customer(_customerUpdated, "customer.updated", id, k, created - 86_400, created, renamed: n),
            };
        }
        return events;
    }

    private StripeBenchEvent SeatChange(int k, string id, long created)
    {
        var before = _quantity[k];
        var after = before % 9 + 1;
        _quantity[k] = after;
        var json = Subscription(_subscriptionUpdated, k, created, after);
        var previous = json["data"]!["previous_attributes"]!["items"]!["data"]![0]!.AsObject();
        previous["id"] = json["data"]!["object"]!["items"]!["data"]![0]!["id"]!.GetValue<string>();
        previous["subscription"] = SubscriptionId(k);
        previous["quantity"] = before;
        return Finish(json, "customer.subscription.updated", id, created);
    }

    private StripeBenchEvent InvoicePaid(int k, int n, string id, long created)
    {
        var json = (JsonObject)_invoicePaid.DeepClone();
        var invoice = json["data"]!["object"]!.AsObject();
        var invoiceId = string.Create(CultureInfo.InvariantCulture, $"in_Bench{n:D9}");
        var cents = 4900L * _quantity[k];
        invoice["id"] = invoiceId;
        invoice["customer"] = CustomerId(k);
        invoice["customer_name"] = string.Create(CultureInfo.InvariantCulture, $"Bench Company {k}");
        invoice["customer_email"] = string.Create(CultureInfo.InvariantCulture, $"billing{k}@bench.example");
        invoice["number"] = string.Create(CultureInfo.InvariantCulture, $"BENCH-{n:D9}");
        invoice["billing_reason"] = "subscription_cycle";
        foreach (var field in new[] { "amount_due", "amount_paid", "subtotal", "total" }) invoice[field] = cents;
        invoice["created"] = created;
        invoice["period_start"] = created;
        invoice["period_end"] = created;
        invoice["lines"]!["url"] = $"/v1/invoices/{invoiceId}/lines";
        var transitions = invoice["status_transitions"]!.AsObject();
        transitions["finalized_at"] = created;
        transitions["paid_at"] = created;
        return Finish(json, "invoice.paid", id, created);
    }

    private static StripeBenchEvent Customer(JsonObject template, string type, string id, int k, long customerCreated, long created, int renamed = -1)
    {
        var json = (JsonObject)template.DeepClone();
        var customer = json["data"]!["object"]!.AsObject();
        customer["id"] = CustomerId(k);
        customer["created"] = customerCreated;
        customer["name"] = renamed < 0
            ? string.Create(CultureInfo.InvariantCulture, $"Bench Company {k}")
            : string.Create(CultureInfo.InvariantCulture, $"Bench Company {k} (renamed {renamed})");
        customer["email"] = string.Create(CultureInfo.InvariantCulture, $"billing{k}@bench.example");
        customer["invoice_prefix"] = string.Create(CultureInfo.InvariantCulture, $"B{k:X7}");
        var metadata = customer["metadata"]!.AsObject();
        metadata["segment"] = Segments[k % Segments.Length];
        metadata["acquisition_channel"] = Channels[k % Channels.Length];
        return Finish(json, type, id, created);
    }

    private static JsonObject Subscription(JsonObject template, int k, long created, int quantity)
    {
        var json = (JsonObject)template.DeepClone();
        var subscription = json["data"]!["object"]!.AsObject();
        var subscriptionId = SubscriptionId(k);
        subscription["id"] = subscriptionId;
        subscription["customer"] = CustomerId(k);
        subscription["latest_invoice"] = string.Create(CultureInfo.InvariantCulture, $"in_BenchFirst{k:D7}");
        var item = subscription["items"]!["data"]![0]!.AsObject();
        item["id"] = string.Create(CultureInfo.InvariantCulture, $"si_Bench{k:D7}");
        item["subscription"] = subscriptionId;
        item["quantity"] = quantity;
        subscription["items"]!["url"] = $"/v1/subscription_items?subscription={subscriptionId}";
        return json;
    }

    private static StripeBenchEvent Finish(JsonObject json, string type, string id, long created)
    {
        json["id"] = id;
        json["created"] = created;
        json["type"] = type;
        var request = json["request"]!.AsObject();
        request["id"] = "req_" + id[4..];
        request["idempotency_key"] = id[4..];
        return new StripeBenchEvent(id, type, Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    private static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json")))!.AsObject();

    /// <summary>
    /// The <c>Stripe-Signature</c> header for a delivery at <paramref name="timestamp"/>: <c>t=…,v1=</c> hex
    /// HMAC-SHA256 of <c>{t}.{body}</c> with the endpoint secret, as Stripe signs (and as the stripe npm
    /// package's generateTestHeaderString writes it). Stripe.net keeps its own computation private; the bench
    /// checks before the run that Stripe.net's <c>EventUtility.ValidateSignature</c> accepts this one.
    /// </summary>
    public static string Signature(long timestamp, byte[] body, byte[] secret)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message, prefix.Length);
        return string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(secret, message))}");
    }
}
