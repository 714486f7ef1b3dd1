namespace GrowthBot.Teams.Tests.Manifest;

/// <summary>The icons Teams requires: a 192×192 full-colour PNG and a 32×32 white-on-transparent outline.</summary>
public sealed class TeamsIconTests
{
    private static PngFile Icon(string name) => PngFile.Read(File.ReadAllBytes(Path.Combine(TeamsManifestTests.ManifestFolder, name)));

    [Fact]
    public void ColorIcon_Is192SquareAndOpaqueInFullColour()
    {
        var icon = Icon("color.png");

        Assert.Equal((192, 192), (icon.Width, icon.Height));
        var pixels = Enumerable.Range(0, 192 * 192).Select(i => icon.Pixel(i % 192, i / 192)).ToList();
        Assert.All(pixels, pixel => Assert.Equal(255, pixel.A));
        // Not a grey or white square: the background has colour, and the glyph stands out from it.
        var corner = icon.Pixel(0, 0);
        Assert.True(Math.Max(corner.R, Math.Max(corner.G, corner.B)) - Math.Min(corner.R, Math.Min(corner.G, corner.B)) > 40);
        Assert.Contains(pixels, pixel => pixel is { R: 255, G: 255, B: 255 });
    }

    [Fact]
    public void OutlineIcon_Is32SquareWhiteOnTransparent()
    {
        var icon = Icon("outline.png");

        Assert.Equal((32, 32), (icon.Width, icon.Height));
        var pixels = Enumerable.Range(0, 32 * 32).Select(i => icon.Pixel(i % 32, i / 32)).ToList();
        Assert.All(pixels, pixel => Assert.Equal((255, 255, 255), (pixel.R, pixel.G, pixel.B)));
        Assert.Equal(0, icon.Pixel(0, 0).A);
        Assert.Contains(pixels, pixel => pixel.A == 255);
        // A glyph, not a filled square: most of the icon is transparent.
        Assert.True(pixels.Count(pixel => pixel.A == 0) > pixels.Count / 3);
    }

    [Fact]
    public void PngReader_RejectsACorruptFile()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TeamsManifestTests.ManifestFolder, "outline.png"));
        bytes[40] ^= 0xFF;

        Assert.Throws<InvalidDataException>(() => PngFile.Read(bytes));
    }
}
