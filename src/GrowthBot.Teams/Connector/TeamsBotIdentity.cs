using Microsoft.Extensions.Options;

namespace GrowthBot.Teams.Connector;

/// <summary>
/// The bot's channel account id ("28:{app id}" in Teams). Configured bots know it from the app id;
/// in development mode it is learned from the recipient of the first activity the local channel sends.
/// </summary>
internal sealed class TeamsBotIdentity(IOptions<TeamsOptions> options)
{
    private string? _learned;

    public string? BotId => options.Value.IsConfigured ? "28:" + options.Value.AppId!.Trim() : Volatile.Read(ref _learned);

    /// <summary>Whether <paramref name="accountId"/> is the bot (Teams may send the id with or without the "28:" prefix).</summary>
    public bool IsBot(string? accountId, string? recipientId)
    {
        if (string.IsNullOrEmpty(accountId)) return false;
        if (string.Equals(accountId, recipientId, StringComparison.Ordinal)) return true;
        var id = BotId;
        return id is not null && (string.Equals(accountId, id, StringComparison.OrdinalIgnoreCase) || string.Equals("28:" + accountId, id, StringComparison.OrdinalIgnoreCase));
    }

    public void Learn(string? recipientId)
    {
        if (!string.IsNullOrEmpty(recipientId) && !options.Value.IsConfigured) Volatile.Write(ref _learned, recipientId);
    }
}
