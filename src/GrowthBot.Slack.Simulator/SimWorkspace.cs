using System.Security.Cryptography;

namespace GrowthBot.Slack.Simulator;

/// <summary>A person (or the bot user) in the simulated workspace, as users.info describes them.</summary>
internal sealed record SimUser(string Id, string Name, string RealName, string TeamId, bool IsBot = false);

/// <summary>A conversation in the simulated workspace: a public channel or the DM between a person and the bot.</summary>
internal sealed record SimChannel(string Id, string Name, bool IsIm, IReadOnlyList<string> Members, string? ImUser = null);

/// <summary>
/// The simulated workspace: one team, the app and its bot user, one person (you), #general and
/// your DM with the bot. Ids have Slack's shapes (T…, U…, B…, A…, C…, D…). The bot token and the
/// signing secret are generated per run, like the ones Slack issues at install, so nothing secret
/// is ever committed or reused.
/// </summary>
internal sealed class SimWorkspace
{
    public SimWorkspace(string botToken, string signingSecret)
    {
        BotToken = botToken;
        SigningSecret = signingSecret;
        Bot = new SimUser("U0SIMBOT01", "growthbot", "GrowthBot", TeamId, IsBot: true);
        You = new SimUser("U0SIMYOU01", "alex", "Alex Morgan", TeamId);
        General = new SimChannel("C0SIMGEN01", "general", IsIm: false, [Bot.Id, You.Id]);
        DirectMessage = new SimChannel("D0SIMDM001", "directmessage", IsIm: true, [Bot.Id, You.Id], You.Id);
    }

    public string TeamId { get; } = "T0SIMTEAM1";

    public string TeamDomain { get; } = "growthbot-sim";

    public string TeamName { get; } = "GrowthBot Simulator";

    public string AppId { get; } = "A0SIMAPP01";

    public string BotId { get; } = "B0SIMBOT01";

    /// <summary>The bot token (xoxb-…) the host must present; a secret.</summary>
    public string BotToken { get; }

    /// <summary>The signing secret requests to the host are signed with; a secret.</summary>
    public string SigningSecret { get; }

    /// <summary>The deprecated verification token Slack still puts in payloads (apps must not rely on it).</summary>
    public string VerificationToken { get; } = "simVerificationTok3n0001";

    public SimUser Bot { get; }

    public SimUser You { get; }

    public SimChannel General { get; }

    public SimChannel DirectMessage { get; }

    public IReadOnlyList<SimUser> Users => [Bot, You];

    public IReadOnlyList<SimChannel> Channels => [General, DirectMessage];

    /// <summary>A workspace with a fresh token and signing secret in Slack's formats.</summary>
    public static SimWorkspace Generate()
    {
        var token = $"xoxb-{RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue)}-{RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue)}-{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 24)}";
        // Slack's signing secrets are 32 lowercase hex digits.
        return new SimWorkspace(token, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    public SimUser? User(string id) => Users.FirstOrDefault(user => user.Id == id);

    public SimChannel? Channel(string id) => Channels.FirstOrDefault(channel => channel.Id == id);

    /// <summary>The user a typed <c>@name</c> means (ignoring case), if any.</summary>
    public SimUser? UserNamed(string name) => Users.FirstOrDefault(user => string.Equals(user.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the terminal calls a conversation: #general, or "your DM with GrowthBot".</summary>
    public string Describe(string channelId) => Channel(channelId) switch
    {
        { IsIm: true } => "your DM",
        { } channel => "#" + channel.Name,
        null => channelId,
    };
}
