using Stripe;

namespace GrowthBot.Connectors.Stripe.Tests;

/// <summary>Stripe event payloads shaped as Stripe sends them (API 2026-10-28.endive), from Fixtures/.</summary>
internal static class StripeFixtures
{
    public static string Text(string name) => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json"));

    public static Event Event(string name) => EventUtility.ParseEvent(Text(name));

    public static Subscription Subscription(string name) => (Subscription)Event(name).Data.Object;

    /// <summary>A fixture's subscription with its JSON changed first (status, discounts…), parsed by Stripe.net like a real event.</summary>
    public static Subscription Subscription(string name, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Text(name))!.AsObject();
        change(node["data"]!["object"]!.AsObject());
        return (Subscription)EventUtility.ParseEvent(node.ToJsonString()).Data.Object;
    }
}
