using System.Text.Json.Nodes;

namespace GrowthBot.Slack.Simulator;

/// <summary>
/// Every message in the simulated workspace, and what the terminal shows of it. Bot messages are
/// printed as they arrive (posted, updated, replaced through a response_url); each button gets a
/// number, counting up through the session, so a button on an older message can still be pressed
/// as in Slack. Waiters learn of each new bot message without polling.
/// </summary>
internal sealed class SimTranscript(SimWorkspace workspace, TextWriter output)
{
    private readonly Lock _lock = new();
    private readonly List<SimMessage> _messages = [];
    private readonly Dictionary<int, SimButton> _buttons = [];
    private readonly Dictionary<JsonObject, int> _numbers = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource _botMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _botOutputs = [];
    private int _nextButton = 1;

    /// <summary>How many times the bot has posted, updated or replaced a message so far.</summary>
    public int BotMessageCount { get; private set; }

    /// <summary>Keeps a message a person typed (the terminal already shows it), so replies can thread on it.</summary>
    public void Record(SimMessage message)
    {
        lock (_lock) _messages.Add(message);
    }

    public void Add(SimMessage message, string? note = null)
    {
        lock (_lock)
        {
            _messages.Add(message);
            Show(message, note);
        }
    }

    /// <summary>Replaces a message's content (chat.update, a response_url with replace_original); its old buttons stop working.</summary>
    public void Replace(SimMessage message, string text, JsonArray blocks, string note)
    {
        lock (_lock)
        {
            foreach (var old in _buttons.Values.Where(button => button.Message == message).ToList()) _buttons.Remove(old.Number);
            message.Text = text;
            message.Blocks = blocks;
            message.Typed.Clear();
            Show(message, note);
        }
    }

    /// <summary>Removes a message (a response_url with delete_original).</summary>
    public void Delete(SimMessage message)
    {
        lock (_lock)
        {
            _messages.Remove(message);
            foreach (var old in _buttons.Values.Where(button => button.Message == message).ToList()) _buttons.Remove(old.Number);
            var shown = $"(GrowthBot deleted its message in {workspace.Describe(message.Channel)})";
            output.WriteLine(shown);
            SignalBotMessage(shown);
        }
    }

    public SimMessage? Find(string channel, string ts)
    {
        lock (_lock) return _messages.LastOrDefault(message => message.Channel == channel && message.Ts == ts);
    }

    /// <summary>The conversation's messages, newest first (conversations.history: top level; conversations.replies: a thread).</summary>
    public IReadOnlyList<SimMessage> History(string channel, string? threadTs)
    {
        lock (_lock)
        {
            return _messages
                .Where(message => message.Channel == channel && !message.Ephemeral)
                .Where(message => threadTs is null ? message.ThreadTs is null || message.ThreadTs == message.Ts : message.Ts == threadTs || message.ThreadTs == threadTs)
                .Reverse()
                .ToList();
        }
    }

    public SimButton? Button(int number)
    {
        lock (_lock) return _buttons.GetValueOrDefault(number);
    }

    /// <summary>Buttons whose label is <paramref name="label"/> (ignoring case), newest first.</summary>
    public IReadOnlyList<SimButton> ButtonsLabelled(string label)
    {
        lock (_lock) return _buttons.Values.Where(button => string.Equals(button.Label, label, StringComparison.OrdinalIgnoreCase)).OrderByDescending(button => button.Number).ToList();
    }

    /// <summary>The newest message with an input block, with that block's id and action id.</summary>
    public (SimMessage Message, string BlockId, string ActionId)? LatestInput()
    {
        lock (_lock)
        {
            for (var i = _messages.Count - 1; i >= 0; i--)
            {
                var input = _messages[i].Blocks.OfType<JsonObject>().FirstOrDefault(block => SimJson.Str(block, "type") == "input");
                if (SimJson.Str(input, "block_id") is { } blockId && SimJson.Str(input?["element"], "action_id") is { } actionId) return (_messages[i], blockId, actionId);
            }
            return null;
        }
    }

    /// <summary>Records what was typed into an input box and shows the message again.</summary>
    public void Type(SimMessage message, string blockId, string actionId, string value)
    {
        lock (_lock)
        {
            message.Typed[blockId] = (actionId, value);
            output.WriteLine($"(typed into the box on GrowthBot's message in {workspace.Describe(message.Channel)}; press one of its buttons to send it)");
        }
    }

    /// <summary>
    /// Completes once the bot has produced more than <paramref name="seen"/> messages and, when
    /// <paramref name="containing"/> is given, one of those after the first <paramref name="seen"/>
    /// reads (as shown) with that text, ignoring case. Returns the count then.
    /// </summary>
    public async Task<int> WaitForBotMessageAsync(int seen, string? containing, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (_lock)
            {
                if (BotMessageCount > seen && (containing is null || _botOutputs.Skip(seen).Any(shown => shown.Contains(containing, StringComparison.OrdinalIgnoreCase))))
                {
                    return BotMessageCount;
                }
                next = _botMessage.Task;
            }
            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A line of the simulator's own (a hint, an error), not from the bot.</summary>
    public void Say(string line)
    {
        lock (_lock) output.WriteLine(line);
    }

    private void Show(SimMessage message, string? note)
    {
        var author = workspace.User(message.UserId)?.RealName ?? message.UserId;
        var where = workspace.Describe(message.Channel);
        var thread = message.ThreadTs is not null && message.ThreadTs != message.Ts ? ", in the thread" : string.Empty;
        var only = message.Ephemeral ? " — only visible to you" : string.Empty;
        output.WriteLine($"── {author} in {where}{thread}{only}{(note is null ? string.Empty : $" ({note})")} ──");
        foreach (var button in EveryButton(message.Blocks))
        {
            var number = _nextButton++;
            _numbers[button.Element] = number;
            _buttons[number] = new SimButton(number, message, button.BlockId, button.Element);
        }
        var shown = BlockKitConsole.Render(message, element => _numbers.TryGetValue(element, out var number) && _buttons.ContainsKey(number) ? number : null, workspace);
        output.Write(shown);
        if (message.FromBot) SignalBotMessage(shown);
    }

    private void SignalBotMessage(string shown)
    {
        _botOutputs.Add(shown);
        BotMessageCount++;
        var signalled = _botMessage;
        _botMessage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signalled.TrySetResult();
    }

    private static IEnumerable<(string BlockId, JsonObject Element)> EveryButton(JsonArray blocks)
    {
        foreach (var block in blocks.OfType<JsonObject>())
        {
            var blockId = SimJson.Str(block, "block_id") ?? string.Empty;
            var elements = SimJson.Str(block, "type") == "actions" ? (block["elements"] as JsonArray ?? []).OfType<JsonObject>()
                : block["accessory"] is JsonObject accessory ? [accessory] : [];
            foreach (var element in elements.Where(element => SimJson.Str(element, "type") == "button")) yield return (blockId, element);
        }
    }
}
