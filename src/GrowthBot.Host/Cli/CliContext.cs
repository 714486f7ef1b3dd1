using GrowthBot.Core.Metrics;
using GrowthBot.Core.Questions;
using GrowthBot.Storage;
using Microsoft.Extensions.Configuration;

namespace GrowthBot.Host.Cli;

/// <summary>
/// What every command needs: where to write, the clock, and the same settings the host reads. Output
/// and Error show control characters visibly (<see cref="TerminalSafeWriter"/>): what verbs print
/// includes customers' words.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TimeProvider time, IConfiguration configuration)
{
    public TextWriter Output { get; } = TerminalSafeWriter.Wrap(output);
    public TextWriter Error { get; } = TerminalSafeWriter.Wrap(error);

    /// <summary>Standard error as it is, only for the progress line's own carriage return.</summary>
    public TextWriter RawError { get; } = error;
    public TimeProvider Time { get; } = time;
    public IConfiguration Configuration { get; } = configuration;

    /// <summary>What a person types, for interactive verbs (<c>slack-sim</c>); tests hand in a script.</summary>
    public TextReader Input { get; init; } = Console.In;

    /// <summary>True when progress can redraw one line (an interactive terminal) rather than print a line per update.</summary>
    public bool InteractiveError { get; init; }

    /// <summary>The store path: <c>--db</c> if given, else <c>Storage:Path</c>, else the default.</summary>
    public StorageOptions StorageFor(CommandArguments arguments) => new()
    {
        Path = arguments.Option("db") ?? Configuration[$"{StorageOptions.SectionName}:Path"] ?? StorageOptions.DefaultPath,
    };

    /// <summary>How long <c>survey send</c> waits between two looks at the campaign's progress.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Makes the HTTP client for commands that go through the running host; tests hand in the test server's.</summary>
    public Func<Uri, HttpClient> HttpClientFactory { get; init; } = baseAddress => new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client for the host at <paramref name="hostUrl"/>; a malformed URL is a usage error.</summary>
    public HttpClient HttpClientFor(string hostUrl)
    {
        if (!Uri.TryCreate(hostUrl.EndsWith('/') ? hostUrl : hostUrl + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"'{hostUrl}' is not an http(s) URL of a GrowthBot host.");
        }
        return HttpClientFactory(uri);
    }

    public MetricEngineOptions EngineOptions()
    {
        var options = new MetricEngineOptions();
        Configuration.GetSection(MetricEngineOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>Each source's freshness threshold, from the same settings the host reads (<c>Freshness__BillingMaxAge</c> …).</summary>
    public Core.Freshness.FreshnessOptions FreshnessOptions()
    {
        var options = new Core.Freshness.FreshnessOptions();
        Configuration.GetSection(Core.Freshness.FreshnessOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>The company settings (name, time zone), validated as the host validates them.</summary>
    public CompanyOptions Company()
    {
        var company = new CompanyOptions();
        Configuration.GetSection(CompanyOptions.SectionName).Bind(company);
        var validation = new CompanyOptionsValidator().Validate(null, company);
        if (validation.Failed) throw new UsageException(validation.FailureMessage);
        return company;
    }

    /// <summary>Who is accountable for which metric, from the same settings the host reads.</summary>
    public Accountability Accountability()
    {
        try
        {
            return Hosting.AccountabilitySettings.Read(Configuration);
        }
        catch (InvalidOperationException exception)
        {
            throw new UsageException(exception.Message);
        }
    }
}
