namespace GrowthBot.Core.Metrics;

/// <summary>A question the engine cannot answer as asked; the message is meant for the person who asked.</summary>
public sealed class MetricQueryException : Exception
{
    public MetricQueryException(string message) : base(message) { }

    public MetricQueryException() { }

    public MetricQueryException(string message, Exception innerException) : base(message, innerException) { }
}
