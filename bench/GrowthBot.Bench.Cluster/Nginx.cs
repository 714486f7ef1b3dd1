using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GrowthBot.Bench.Cluster;

/// <summary>
/// Debian's nginx as the load balancer in front of the hosts: round-robin, a refused connection retried on the
/// next host (<c>proxy_next_upstream</c>), in the foreground in a temporary prefix on a free loopback port,
/// stopped with SIGQUIT.
/// </summary>
internal sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private Nginx(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
    }

    public Uri BaseAddress { get; }

    public static Nginx Start(IReadOnlyList<int> upstreams)
    {
        var prefix = Directory.CreateTempSubdirectory("growthbot-bench-nginx-").FullName;
        foreach (var folder in new[] { "body", "proxy", "fastcgi", "uwsgi", "scgi" }) Directory.CreateDirectory(Path.Combine(prefix, folder));
        var port = FreePort();
        var servers = string.Concat(upstreams.Select(upstream => string.Create(CultureInfo.InvariantCulture, $"        server 127.0.0.1:{upstream} max_fails=1 fail_timeout=30s;\n")));
        var config = $$"""
            daemon off;
            worker_processes 1;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;
            events { worker_connections 8192; }
            http {
                access_log off;
                client_body_temp_path {{prefix}}/body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                upstream growthbot {
            {{servers}}        keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}} backlog=4096;
                    location / {
                        proxy_pass http://growthbot;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_next_upstream error timeout;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 30s;
                    }
                }
            }
            """;
        var path = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(path, config);
        var start = new ProcessStartInfo("nginx") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", prefix + "/", "-c", path, "-e", Path.Combine(prefix, "error.log") }) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("nginx is not installed: apt-get install nginx", exception);
        }
        var nginx = new Nginx(process, prefix, port);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx exited: {File.ReadAllText(Path.Combine(prefix, "error.log"))}");
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        nginx.Dispose();
        throw new TimeoutException("nginx did not listen within 20 s.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            using (var quit = Process.Start("kill", ["-QUIT", _process.Id.ToString(CultureInfo.InvariantCulture)])) quit.WaitForExit();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
