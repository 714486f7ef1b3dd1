using GrowthBot.Core.Digests;
using GrowthBot.Host.Digests;
using SkiaSharp;

namespace GrowthBot.Host.Tests.Digests;

/// <summary>The chart renders here (headless, with the machine's fonts) at the documented sizes.</summary>
public sealed class ScottPlotTrendChartTests
{
    private static readonly string[] Weeks = ["Sep 7", "Sep 14", "Sep 21", "Sep 28", "Oct 5", "Oct 12", "Oct 19", "Oct 26", "Nov 2", "Nov 9", "Nov 16", "Nov 23"];

    [Fact]
    public void Render_SixMetrics_IsOnePngOfTwoColumns()
    {
        var series = Enumerable.Range(0, 6).Select(i => new TrendSeries($"Metric {i}", Weeks.Select((_, w) => (double?)(w * i)).ToList(), i == 0 ? 5 : null, "%")).ToList();

        var png = new ScottPlotTrendChart().RenderPng(new TrendChart("Marketing: last 12 weeks", Weeks, series));

        File.WriteAllBytes("/tmp/digest-chart6.png", png);
        File.WriteAllBytes("/tmp/digest-chart6.png", png);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((800, 30 + (3 * 190)), (bitmap.Width, bitmap.Height));
        Assert.True(DarkPixels(bitmap) > 2000, "the chart has lines and labels");
    }

    [Fact]
    public void Render_OneMetricWithGaps_Is600By250()
    {
        var values = Weeks.Select((_, w) => w % 3 == 0 ? null : (double?)(30 + w)).ToList();

        var png = new ScottPlotTrendChart().RenderPng(new TrendChart("NPS: last 12 weeks", Weeks, [new TrendSeries("Net Promoter Score", values, 40, "")]));

        File.WriteAllBytes("/tmp/digest-chart1.png", png);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((600, 250), (bitmap.Width, bitmap.Height));
        Assert.True(png.Length < 60_000, $"{png.Length} bytes");
    }

    [Fact]
    public void Render_NoData_StillDrawsAnEmptyPanel()
    {
        var png = new ScottPlotTrendChart().RenderPng(new TrendChart("t", Weeks, [new TrendSeries("Empty", Weeks.Select(_ => (double?)null).ToList(), null, "")]));

        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png.Take(4));
    }

    private static int DarkPixels(SKBitmap bitmap)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red + pixel.Green + pixel.Blue < 300) count++;
            }
        }
        return count;
    }
}
