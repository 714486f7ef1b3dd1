namespace GrowthBot.Slack.Simulator;

/// <summary>How a simulator session is set up.</summary>
internal sealed class SimOptions
{
    /// <summary>The app's slash command, as the host's <c>Slack__CommandName</c> names it.</summary>
    public string CommandName { get; init; } = "/growth";

    /// <summary>Where uploaded files (trend charts) are saved so a person can open them; null keeps them in memory.</summary>
    public string? FilesFolder { get; init; }

    /// <summary>Slack gives an app 3 seconds to answer a request; a slower answer counts as failed.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long <c>/wait</c> waits for the bot.</summary>
    public TimeSpan WaitLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The Web API's port on 127.0.0.1; 0 picks a free one. The command line keeps one port from run
    /// to run, so a reply the host still owes from an earlier session (retried at its next start)
    /// reaches a simulator that refuses it as Slack would (an unknown response_url, a token of the
    /// past) at once, instead of a closed port the host keeps retrying.
    /// </summary>
    public int ApiPort { get; init; }
}
