using GrowthBot.Core.Digests;
using ScottPlot;
using SkiaSharp;

namespace GrowthBot.Host.Digests;

/// <summary>
/// Draws a digest's trend chart with ScottPlot: one small panel per metric (units differ, so no
/// shared axis), two panels a row, the latest period marked, the target as a dashed line.
/// One metric is a 600×250 image; six are 800×570.
/// </summary>
internal sealed class ScottPlotTrendChart : ITrendChartRenderer
{
    private const int PanelHeight = 190;
    private const int TitleHeight = 30;

    public byte[] RenderPng(TrendChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var panels = chart.Series.Count;
        var columns = panels == 1 ? 1 : 2;
        var rows = (panels + columns - 1) / columns;
        var width = columns == 1 ? 600 : 800;
        var height = panels == 1 ? 250 : TitleHeight + (rows * PanelHeight);
        var panelWidth = width / columns;

        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        var top = panels == 1 ? 0 : TitleHeight;
        if (panels > 1)
        {
            using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans", SKFontStyle.Bold), 15);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(chart.Title, 10, 21, font, paint);
        }
        for (var i = 0; i < panels; i++)
        {
            var left = i % columns * panelWidth;
            var y = top + (i / columns * PanelHeight);
            var panelHeight = panels == 1 ? height : PanelHeight;
            var plot = Panel(chart.Series[i], chart.PeriodLabels, panels == 1 ? $"{chart.Series[i].Title} — {chart.Title}" : chart.Series[i].Title);
            // Each panel on its own surface: a plot clears whatever canvas it renders on.
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, panelHeight));
            plot.Render(panel.Canvas, panelWidth, panelHeight);
            using var drawn = panel.Snapshot();
            canvas.DrawImage(drawn, left, y);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static Plot Panel(TrendSeries series, IReadOnlyList<string> labels, string title)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(string.IsNullOrEmpty(series.Unit) ? title : $"{title} ({series.Unit})", size: 12);
        var known = Enumerable.Range(0, series.Values.Count).Where(i => series.Values[i] is not null).ToList();
        if (known.Count > 0)
        {
            var xs = known.Select(i => (double)i).ToArray();
            var ys = known.Select(i => series.Values[i]!.Value).ToArray();
            var line = plot.Add.Scatter(xs, ys, Colors.SteelBlue);
            line.LineWidth = 2;
            line.MarkerSize = 4;
            var last = plot.Add.Marker(xs[^1], ys[^1], MarkerShape.FilledCircle, 8, Colors.OrangeRed);
            last.LegendText = string.Empty;
        }
        if (series.Target is { } target)
        {
            var goal = plot.Add.HorizontalLine(target, 1.5f, Colors.SeaGreen, LinePattern.Dashed);
            goal.Text = "target";
            goal.LabelFontSize = 10;
            goal.LabelOppositeAxis = true;
        }
        var step = Math.Max(1, labels.Count / 4);
        var positions = Enumerable.Range(0, labels.Count).Where(i => (labels.Count - 1 - i) % step == 0).ToArray();
        plot.Axes.Bottom.SetTicks(positions.Select(i => (double)i).ToArray(), positions.Select(i => labels[i]).ToArray());
        plot.Axes.Bottom.TickLabelStyle.FontSize = 10;
        plot.Axes.Left.TickLabelStyle.FontSize = 10;
        plot.Axes.SetLimitsX(-0.5, Math.Max(1, labels.Count - 0.5));
        if (known.Count == 0) plot.Axes.SetLimitsY(0, 1);
        return plot;
    }
}
