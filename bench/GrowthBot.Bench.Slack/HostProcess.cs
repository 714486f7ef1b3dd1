using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GrowthBot.Bench.Slack;

/// <summary>Memory and CPU of the host process as read from /proc (Linux) or <see cref="Process"/>.</summary>
internal readonly record struct HostUsage(long WorkingSetBytes, long PeakWorkingSetBytes, TimeSpan Cpu);

/// <summary>
/// The real GrowthBot host (<c>dotnet growthbot.dll --urls http://127.0.0.1:PORT</c>) as a child
/// process, configured through environment variables the way an operator would, with its console
/// log captured to a file. Stopped with SIGTERM (then killed if it does not exit in 15 s).
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private static readonly string[] ClearedPrefixes = ["Slack__", "Teams__", "Access__", "Storage__", "Company__", "Metrics__", "Logging__"];
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly List<string> _problems = [];
    private int _warnings;
    private int _errors;
    private int _duplicatesRecognised;
    private string? _pendingProblem;

    private HostProcess(Process process, StreamWriter log, int port)
    {
        _process = process;
        _log = log;
        Port = port;
    }

    public int Port { get; }

    public int Id => _process.Id;

    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    public bool HasExited => _process.HasExited;

    public int Warnings => Volatile.Read(ref _warnings);

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Log entries saying a delivery was already accepted (a retry or duplicate acknowledged without answering).</summary>
    public int DuplicatesRecognised => Volatile.Read(ref _duplicatesRecognised);

    /// <summary>The first few warning and error log entries (level line + message line).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_logGate) return [.. _problems];
        }
    }

    public static HostProcess Start(string hostDll, IReadOnlyDictionary<string, string> environment, string logPath)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!, // the content root: appsettings.json lives beside the dll
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(hostDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (ClearedPrefixes.Any(prefix => key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) ||
                key.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase) || key.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase) ||
                key.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var log = new StreamWriter(logPath, append: false) { AutoFlush = false };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new HostProcess(process, log, port);
        process.OutputDataReceived += (_, line) => host.OnLine(line.Data);
        process.ErrorDataReceived += (_, line) => host.OnLine(line.Data);
        if (!process.Start())
        {
            log.Dispose();
            process.Dispose();
            throw new InvalidOperationException("Could not start the host process.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for <c>/healthz</c> to answer 200 (the store is open and the engine loaded).</summary>
    public async Task WaitHealthyAsync(HttpClient client, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The host exited with code {_process.ExitCode} before it was ready; see its log.");
            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The host did not become healthy within {limit.TotalSeconds} s.");
    }

    /// <summary>Working set, peak working set and CPU time so far.</summary>
    public HostUsage Usage()
    {
        _process.Refresh();
        var cpu = _process.TotalProcessorTime;
        var status = string.Create(CultureInfo.InvariantCulture, $"/proc/{_process.Id}/status");
        if (File.Exists(status))
        {
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line);
            }
            return new HostUsage(rss, hwm, cpu);
        }
        return new HostUsage(_process.WorkingSet64, _process.PeakWorkingSet64, cpu);
    }

    /// <summary>kill -9: the host gets no chance to finish, flush or say goodbye (the cluster bench's failover).</summary>
    public void KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM (graceful stop), then a kill if it has not exited within 15 s.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
                if (kill is not null) await kill.WaitForExitAsync();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No kill(1): fall through to Kill below.
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        lock (_logGate) _log.Flush();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        lock (_logGate) _log.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_logGate)
        {
            _log.WriteLine(line);
            if (line.Contains("was already accepted", StringComparison.Ordinal)) _duplicatesRecognised++;
            if (_pendingProblem is not null)
            {
                if (_problems.Count < 8) _problems.Add(_pendingProblem + " " + line.Trim());
                _pendingProblem = null;
            }
            if (line.StartsWith("warn:", StringComparison.Ordinal))
            {
                _warnings++;
                _pendingProblem = line;
            }
            else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                _errors++;
                _pendingProblem = line;
            }
        }
    }

    private static long Kilobytes(string line)
    {
        var digits = new string([.. line.Where(char.IsAsciiDigit)]);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb * 1024 : 0;
    }

    /// <summary>A port on 127.0.0.1 that is free right now (the OS picks it; the host binds it a moment later).</summary>
    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
