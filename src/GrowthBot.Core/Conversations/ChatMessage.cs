namespace GrowthBot.Core.Conversations;

/// <summary>
/// A channel-neutral rich message: what the bot wants to say, before an adapter renders it as
/// Slack Block Kit or a Teams Adaptive Card. <see cref="FallbackText"/> is the complete message
/// in plain text (notifications, screen readers, clients without rich rendering).
/// </summary>
public sealed record ChatMessage(string FallbackText, IReadOnlyList<ChatBlock> Blocks)
{
    /// <summary>A message that is just one paragraph of text.</summary>
    public static ChatMessage Plain(string text) => new(text, [new TextBlock(text)]);

    /// <summary>
    /// As the answer to a button press: replace the message the button was on (a survey's
    /// buttons become its thank-you, so nobody can answer twice by tapping again) instead of
    /// answering beside it.
    /// </summary>
    public bool ReplacesOriginal { get; init; }
}

/// <summary>One part of a <see cref="ChatMessage"/>.</summary>
public abstract record ChatBlock;

/// <summary>A short title line.</summary>
public sealed record HeaderBlock(string Text) : ChatBlock;

/// <summary>A paragraph of plain text (adapters escape it for their markup).</summary>
public sealed record TextBlock(string Text) : ChatBlock;

/// <summary>Label/value pairs shown side by side where the platform can.</summary>
public sealed record FieldsBlock(IReadOnlyList<ChatField> Fields) : ChatBlock;

/// <summary>One label/value pair.</summary>
public sealed record ChatField(string Label, string Value);

/// <summary>Small print: how a number was computed, the period, the sample size.</summary>
public sealed record ContextBlock(string Text) : ChatBlock;

/// <summary>A picture (a trend chart as PNG) with a text alternative.</summary>
public sealed record ImageBlock(byte[] Png, string Title, string AltText) : ChatBlock;

/// <summary>A row of buttons.</summary>
public sealed record ActionsBlock(IReadOnlyList<ChatAction> Actions) : ChatBlock;

/// <summary>
/// A button. <see cref="ActionId"/> says what it does ("survey.score", "metric.explain"),
/// <see cref="Value"/> carries its payload back when pressed.
/// </summary>
public sealed record ChatAction(string ActionId, string Label, string Value, ChatActionStyle Style = ChatActionStyle.Default);

/// <summary>How a button is emphasised.</summary>
public enum ChatActionStyle
{
    Default,
    Primary,
    Danger,
}

/// <summary>
/// A free-text box (a survey's "main reason for your score"). Whatever the person typed comes
/// back in <see cref="IncomingAction.Inputs"/> under <see cref="InputId"/> when they press a
/// button of the same message.
/// </summary>
public sealed record TextInputBlock(string InputId, string Label, string Placeholder, bool Multiline = true, int MaxLength = 500) : ChatBlock;

/// <summary>A separator between parts.</summary>
public sealed record DividerBlock : ChatBlock;
