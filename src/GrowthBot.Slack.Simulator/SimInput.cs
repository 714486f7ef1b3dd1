namespace GrowthBot.Slack.Simulator;

/// <summary>What one typed line asks the simulator to do.</summary>
internal abstract record SimInput
{
    /// <summary>A message in the current conversation.</summary>
    public sealed record Say(string Text) : SimInput;

    /// <summary>The app's slash command with its text.</summary>
    public sealed record SlashCommand(string Command, string Text) : SimInput;

    /// <summary>Press a button by the number shown next to it, or by its label.</summary>
    public sealed record Press(int? Number, string? Label) : SimInput;

    /// <summary>Type into the newest message's input box.</summary>
    public sealed record Type(string Text) : SimInput;

    /// <summary>Switch to a conversation (and say something there).</summary>
    public sealed record Switch(bool DirectMessage, string? Text) : SimInput;

    public sealed record Home : SimInput;

    /// <summary>Wait for the bot's next message, or for one that reads with <see cref="Containing"/>.</summary>
    public sealed record Wait(string? Containing) : SimInput;

    public sealed record Fail(string Method, string Error) : SimInput;

    public sealed record Help : SimInput;

    public sealed record Quit : SimInput;

    public sealed record Nothing : SimInput;

    /// <summary>The line cannot be carried out; <see cref="Message"/> says why and what to type instead.</summary>
    public sealed record Refused(string Message) : SimInput;

    /// <summary>The longest message Slack accepts.</summary>
    public const int MaxMessageLength = 40_000;

    /// <summary>
    /// Reads one typed line. As in Slack, a line starting with <c>/</c> is a command: the app's own
    /// (<paramref name="appCommand"/>) or one of the simulator's; any other is refused with Slack's
    /// own words. A leading space sends a line starting with <c>/</c> as a message, as in Slack.
    /// </summary>
    public static SimInput Parse(string? line, string appCommand)
    {
        if (line is null) return new Quit();
        if (SimText.HasControlCharacters(line)) return new Refused("That line holds control characters (a pasted escape sequence?), which a Slack message cannot carry; type it again as plain text.");
        if (string.IsNullOrWhiteSpace(line)) return new Nothing();
        if (line.Length > MaxMessageLength) return new Refused($"That message is too long for Slack (msg_too_long: at most {MaxMessageLength:N0} characters).");
        if (!line.StartsWith('/')) return new Say(line.Trim());

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var word = (space < 0 ? line : line[..space]).ToLowerInvariant();
        var rest = space < 0 ? string.Empty : line[(space + 1)..].Trim();
        if (string.Equals(word, appCommand, StringComparison.OrdinalIgnoreCase)) return new SlashCommand(appCommand, rest);
        switch (word)
        {
            case "/press":
            case "/p":
                if (rest.Length == 0) return new Refused("Which button? Type /press N with the number shown next to it in [brackets], e.g. /press 3.");
                return int.TryParse(rest, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                    ? new Press(number, null)
                    : new Press(null, rest.Trim('"', '“', '”'));
            case "/type":
                return rest.Length == 0 ? new Refused("Type what? /type TEXT fills the newest input box (e.g. a survey's reason); then press its Send button.") : new Type(rest);
            case "/dm":
                return new Switch(DirectMessage: true, rest.Length == 0 ? null : rest);
            case "/general":
            case "/channel":
                return new Switch(DirectMessage: false, rest.Length == 0 ? null : rest);
            case "/home":
                return new Home();
            case "/wait":
                return new Wait(rest.Length == 0 ? null : rest);
            case "/fail":
                var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length == 2 && parts[0].Contains('.', StringComparison.Ordinal)
                    ? new Fail(parts[0], parts[1])
                    : new Refused("Usage: /fail METHOD ERROR, e.g. /fail chat.postMessage ratelimited, /fail chat.postMessage http_503, /fail files.completeUploadExternal file_uploads_disabled.");
            case "/help":
            case "/?":
                return new Help();
            case "/quit":
            case "/exit":
                return new Quit();
            default:
                // Slack's own answer to a command nobody installed.
                return new Refused($"{word} is not a valid command. In Slack, all messages that start with the \"/\" character are interpreted as commands. " +
                    $"If you are trying to send a message and not run a command, try preceding the \"/\" with an empty space. (Here: {appCommand} TEXT talks to GrowthBot; /help lists the simulator's commands.)");
        }
    }

    public static string HelpText(string appCommand) => $"""
        Type a message and press Enter: in #general mention the bot (@growthbot churn last month); in the DM just ask.
          {appCommand} TEXT      the slash command (e.g. {appCommand} help, {appCommand} nps last quarter)
          /dm [TEXT]            switch to your DM with GrowthBot (and say TEXT there)
          /general [TEXT]       switch to #general
          /press N              press the button shown as [N] (or /press LABEL)
          /type TEXT            type into the newest input box (a survey's reason), then press its button
          /home                 open GrowthBot's Home tab
          /wait [TEXT]          wait for GrowthBot's next message (or one that says TEXT): for scripts
          /fail METHOD ERROR    make the next Web API call of METHOD fail as Slack would (ratelimited, http_503, an error code)
          /help, /quit
        In text, @alex is you and @growthbot the bot; #general links the channel.
        """;
}
