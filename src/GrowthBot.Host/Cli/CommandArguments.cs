namespace GrowthBot.Host.Cli;

/// <summary>
/// The words after a verb: positionals in order, <c>--name value</c> options and <c>--flag</c>
/// switches. Unknown options are errors, so a typo never silently changes what a command does.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _switches = new(StringComparer.OrdinalIgnoreCase);

    public List<string> Positionals { get; } = [];

    /// <summary>Parses <paramref name="words"/>; throws <see cref="UsageException"/> for an unknown or incomplete option.</summary>
    public static CommandArguments Parse(IEnumerable<string> words, IReadOnlySet<string> optionsWithValue, IReadOnlySet<string> switches)
    {
        var parsed = new CommandArguments();
        using var cursor = words.GetEnumerator();
        while (cursor.MoveNext())
        {
            var word = cursor.Current;
            if (!word.StartsWith("--", StringComparison.Ordinal) || word == "--")
            {
                parsed.Positionals.Add(word);
                continue;
            }
            var name = word[2..];
            string? inlineValue = null;
            var equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                inlineValue = name[(equals + 1)..];
                name = name[..equals];
            }
            if (switches.Contains(name) && inlineValue is null)
            {
                parsed._switches.Add(name);
            }
            else if (optionsWithValue.Contains(name))
            {
                if (inlineValue is null)
                {
                    if (!cursor.MoveNext()) throw new UsageException($"--{name} needs a value.");
                    inlineValue = cursor.Current;
                }
                parsed._options[name] = inlineValue;
            }
            else
            {
                var known = optionsWithValue.Concat(switches).Select(option => "--" + option).OrderBy(option => option, StringComparer.Ordinal);
                throw new UsageException($"Unknown option --{name}. This command takes: {string.Join(", ", known)}.");
            }
        }
        return parsed;
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public bool Switch(string name) => _switches.Contains(name);
}

/// <summary>A command used wrongly; the message says how to use it right.</summary>
internal sealed class UsageException(string message) : Exception(message);
