using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GrowthBot.Host.Tests.Security;

/// <summary>
/// Debian's nginx (installed by .ci/run) run as a real reverse proxy on loopback: a temporary prefix
/// with its own configuration, logs and temp folders, in the foreground (<c>daemon off</c>), on free
/// 127.0.0.1 ports, stopped with SIGQUIT when the test is done.
/// </summary>
internal sealed class NginxServer : IDisposable
{
    private readonly Process _process;
    private readonly TempStore _prefix;

    private NginxServer(Process process, TempStore prefix, IReadOnlyList<int> ports)
    {
        _process = process;
        _prefix = prefix;
        Ports = ports;
    }

    /// <summary>The ports handed to the configuration, in order.</summary>
    public IReadOnlyList<int> Ports { get; }

    public string ErrorLog => File.Exists(Path.Combine(_prefix.Folder, "error.log")) ? File.ReadAllText(Path.Combine(_prefix.Folder, "error.log")) : "";

    /// <summary>
    /// Starts nginx with <paramref name="httpBlock"/> (what goes inside <c>http { }</c>, given the
    /// prefix folder and <paramref name="portCount"/> free ports). A port taken between the probe and
    /// nginx's bind (six people test on this machine) just means another try with new ports.
    /// <paramref name="workerConnections"/> bounds client and upstream connections together: a load
    /// balancer under a burst needs more than the default.
    /// </summary>
    public static NginxServer Start(int portCount, Func<string, IReadOnlyList<int>, string> httpBlock, int workerConnections = 64)
    {
        for (var attempt = 1; ; attempt++)
        {
            var prefix = new TempStore();
            var ports = Enumerable.Range(0, portCount).Select(_ => FreePort()).ToList();
            foreach (var folder in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(prefix.Folder, folder));
            var config = $$"""
                daemon off;
                worker_processes 1;
                pid {{prefix.Folder}}/nginx.pid;
                error_log {{prefix.Folder}}/error.log warn;
                events { worker_connections {{workerConnections}}; }
                http {
                    access_log {{prefix.Folder}}/access.log;
                    client_body_temp_path {{prefix.Folder}}/body;
                    proxy_temp_path {{prefix.Folder}}/proxy;
                    fastcgi_temp_path {{prefix.Folder}}/fastcgi;
                    uwsgi_temp_path {{prefix.Folder}}/uwsgi;
                    scgi_temp_path {{prefix.Folder}}/scgi;
                {{httpBlock(prefix.Folder, ports)}}
                }
                """;
            var configPath = Path.Combine(prefix.Folder, "nginx.conf");
            File.WriteAllText(configPath, config);
            var start = new ProcessStartInfo("nginx") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-p", prefix.Folder + "/", "-c", configPath, "-e", Path.Combine(prefix.Folder, "error.log") }) start.ArgumentList.Add(argument);
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                prefix.Dispose();
                throw new InvalidOperationException("nginx is not installed (apt-get install nginx; .ci/run installs it)", exception);
            }
            var server = new NginxServer(process, prefix, ports);
            if (server.WaitUntilListening(TimeSpan.FromSeconds(20))) return server;
            var log = server.ErrorLog + process.StandardError.ReadToEnd();
            server.Dispose();
            if (attempt >= 3 || !log.Contains("Address already in use", StringComparison.Ordinal)) throw new InvalidOperationException($"nginx did not start:\n{log}");
        }
    }

    private bool WaitUntilListening(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            if (_process.HasExited) return false;
            if (Ports.All(CanConnect)) return true;
            Thread.Sleep(50);
        }
        return false;
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // SIGQUIT: nginx's graceful stop, which also stops its worker.
            using (var quit = Process.Start("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)])) quit.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        _prefix.Dispose();
    }
}
