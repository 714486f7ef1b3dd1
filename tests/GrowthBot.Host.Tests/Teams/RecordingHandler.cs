using GrowthBot.Core.Conversations;

namespace GrowthBot.Host.Tests.Teams;

/// <summary>
/// Echoes messages and button presses so protocol tests see exactly what reached Core: "metric.*"
/// presses are answered beside the card, "survey.*" presses replace it (as a survey's thank-you does).
/// </summary>
internal sealed class RecordingHandler : IConversationHandler, IActionHandler
{
    public List<IncomingMessage> Received { get; } = [];

    public List<IncomingAction> Pressed { get; } = [];

    /// <summary>"slow.*" presses wait for this before answering (a survey store that is slow today).</summary>
    public TaskCompletionSource SlowGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool CanHandle(string actionId) =>
        actionId.StartsWith("metric.", StringComparison.Ordinal) || actionId.StartsWith("survey.", StringComparison.Ordinal) || actionId.StartsWith("slow.", StringComparison.Ordinal);

    public async Task<ChatMessage?> HandleActionAsync(IncomingAction action, CancellationToken cancellationToken)
    {
        lock (Pressed) Pressed.Add(action);
        if (action.ActionId.StartsWith("slow.", StringComparison.Ordinal))
        {
            await SlowGate.Task.WaitAsync(cancellationToken);
            return new ChatMessage("Thanks, finally!", [new TextBlock("Thanks, finally!")]) { ReplacesOriginal = true };
        }
        var reply = action.ActionId.StartsWith("survey.", StringComparison.Ordinal)
            ? new ChatMessage("Thanks for your answer!", [new HeaderBlock("Thank you"), new TextBlock($"You gave {action.Value}.")]) { ReplacesOriginal = true }
            : ChatMessage.Plain($"You pressed {action.ActionId}: {action.Value}");
        return reply;
    }

    /// <summary>Messages starting "slow" wait for this before answering (a question whose answer takes a while).</summary>
    public TaskCompletionSource SlowAnswerGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<ChatMessage?> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        lock (Received) Received.Add(message);
        if (message.Text.StartsWith("slow", StringComparison.Ordinal)) await SlowAnswerGate.Task.WaitAsync(cancellationToken);
        return ChatMessage.Plain($"You asked: {message.Text}");
    }

    /// <summary>Waits (on polling the record, bounded) until this many messages have reached the handler.</summary>
    public async Task WaitForReceivedAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            lock (Received)
            {
                if (Received.Count >= count) return;
            }
            await Task.Delay(10, timeout.Token);
        }
    }
}
