using GrowthBot.Core.Import;

namespace GrowthBot.Host.Cli;

/// <summary>
/// Shows import progress on standard error: one redrawn line on a terminal, or a line every
/// few seconds when redirected to a file or CI log, so large files never look stuck.
/// </summary>
internal sealed class ConsoleProgress(CliContext context) : IProgress<ImportProgress>
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(2);
    private DateTimeOffset _lastLine = DateTimeOffset.MinValue;
    private bool _drewLine;

    public void Report(ImportProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Total is { } total and > 0
            ? $"{value.Stage} {value.Rows:N0} of {total:N0} {value.Unit} ({100.0 * value.Rows / total:F0}%)"
            : $"{value.Stage} {value.Rows:N0} {value.Unit}";
        if (context.InteractiveError)
        {
            // The carriage return that redraws the line is ours; the text goes through the terminal-safe writer.
            context.RawError.Write('\r');
            context.Error.Write($"{text,-60}");
            _drewLine = true;
            return;
        }
        var now = context.Time.GetUtcNow();
        if (now - _lastLine < LogInterval && value.Rows != value.Total) return;
        _lastLine = now;
        context.Error.WriteLine(text);
    }

    /// <summary>Ends the redrawn line so the summary starts on its own line.</summary>
    public void Finish()
    {
        if (_drewLine) context.Error.WriteLine();
        _drewLine = false;
    }
}
