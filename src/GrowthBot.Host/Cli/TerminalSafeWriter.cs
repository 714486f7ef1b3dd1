using System.Globalization;
using System.Text;

namespace GrowthBot.Host.Cli;

/// <summary>
/// What the command line prints goes through this: customers' names, survey comments and topics come
/// from outside, and a terminal obeys control characters in them (an ESC sequence can rewrite the
/// screen, retitle the window or hide what follows; a bidirectional override reorders what is shown).
/// So every control character but tab and newline is shown visibly instead: C0 as caret notation
/// (ESC as <c>^[</c>), DEL as <c>^?</c>, C1 and the bidirectional controls as <c>&lt;U+XXXX&gt;</c>.
/// Writes straight through to the inner writer; nothing is buffered.
/// </summary>
internal sealed class TerminalSafeWriter(TextWriter inner) : TextWriter(CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => inner.Encoding;

    public override string NewLine
    {
        get => inner.NewLine;
#pragma warning disable CS8765 // The base setter accepts null and means the default.
        set => inner.NewLine = value;
#pragma warning restore CS8765
    }

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    /// <summary>Wraps <paramref name="writer"/> unless it already is one.</summary>
    public static TextWriter Wrap(TextWriter writer) => writer is TerminalSafeWriter ? writer : new TerminalSafeWriter(writer);

    /// <summary><paramref name="text"/> with every control character made visible.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape)) return text;
        var result = new StringBuilder(text.Length + 8);
        foreach (var c in text) Append(result, c);
        return result.ToString();
    }

    public override void Write(char value)
    {
        if (!NeedsEscape(value))
        {
            inner.Write(value);
            return;
        }
        var visible = new StringBuilder(8);
        Append(visible, value);
        inner.Write(visible.ToString());
    }

    public override void Write(string? value)
    {
        if (value is not null) inner.Write(Clean(value));
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine() => inner.WriteLine();

    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    public override void Flush() => inner.Flush();

    private static bool NeedsEscape(char c) =>
        (char.IsControl(c) && c is not '\n' and not '\t' && !(c == '\r' && Environment.NewLine == "\r\n"))
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    private static void Append(StringBuilder builder, char c)
    {
        if (!NeedsEscape(c)) builder.Append(c);
        else if (c < ' ') builder.Append('^').Append((char)(c + 64));
        else if (c == '\u007F') builder.Append("^?");
        else builder.Append(CultureInfo.InvariantCulture, $"<U+{(int)c:X4}>");
    }
}
