using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace GrowthBot.Storage.Postgres;

/// <summary>One numbered schema change: <c>Migrations/NNNN_name.sql</c>, embedded in this assembly.</summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script, recorded with its version, so a changed shipped script is noticed.</summary>
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The migrations this build knows, in order.</summary>
    public static IReadOnlyList<Migration> Embedded { get; } = Load(typeof(Migration).Assembly);

    /// <summary>The newest schema version this build can run on.</summary>
    public static int Latest => Embedded[^1].Version;

    private static List<Migration> Load(Assembly assembly)
    {
        const string prefix = "Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = resource[prefix.Length..];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file[..underscore], System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(file), reader.ReadToEnd()));
        }
        migrations.Sort((left, right) => left.Version.CompareTo(right.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1) throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3… without gaps; found {migrations[i].Name}.");
        }
        return migrations;
    }
}
