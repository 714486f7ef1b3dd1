using System.Diagnostics;

namespace GrowthBot.Storage.Tests.DiskFull;

/// <summary>
/// A real, small file system (tmpfs, mounted for one test) that a test fills up with a filler file
/// and frees again, so the store meets a real "No space left on device" from the kernel.
/// Mounting needs root (CI runs as root); <see cref="SmallDiskFactAttribute"/> skips elsewhere.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private static readonly Lazy<string?> MountProblem = new(FindMountProblem);

    private SmallDisk(string folder) => Folder = folder;

    /// <summary>The mounted folder.</summary>
    public string Folder { get; }

    private string FillerPath => Path.Combine(Folder, "filler");

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can.</summary>
    public static string? WhyNot => MountProblem.Value;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB on a new folder.</summary>
    public static SmallDisk Mount(int megabytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "growthbot-small-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var (exit, output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", folder);
        if (exit != 0)
        {
            Directory.Delete(folder);
            throw new InvalidOperationException($"mount -t tmpfs failed ({exit}): {output}");
        }
        return new SmallDisk(folder);
    }

    /// <summary>Fills every byte left with a filler file, until the kernel says the device is full.</summary>
    public void Fill()
    {
        var block = new byte[64 * 1024];
        using var filler = new FileStream(FillerPath, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        for (var size = block.Length; size >= 512; size /= 2)
        {
            try
            {
                while (true) filler.Write(block, 0, size);
            }
            catch (IOException)
            {
                // Full at this block size; smaller blocks take what is left.
            }
        }
    }

    /// <summary>Frees the space the filler took.</summary>
    public void Free() => File.Delete(FillerPath);

    public void Dispose()
    {
        Run("umount", "-l", Folder);
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Still busy after a lazy unmount: only an empty folder is left behind under /tmp.
        }
    }

    private static string? FindMountProblem()
    {
        if (!OperatingSystem.IsLinux()) return "a tmpfs can only be mounted on Linux";
        try
        {
            using var disk = Mount(1);
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"mounting a small tmpfs is impossible here (it needs root, as .ci/run has): {exception.Message}";
        }
    }

    private static (int Exit, string Output) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}

/// <summary>A test that needs <see cref="SmallDisk"/>: skipped, saying why, only where a tmpfs cannot be mounted.</summary>
public sealed class SmallDiskFactAttribute : FactAttribute
{
    public SmallDiskFactAttribute()
    {
        if (SmallDisk.WhyNot is { } problem) Skip = problem;
    }
}
