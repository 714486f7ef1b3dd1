namespace GrowthBot.Core.Surveys;

/// <summary>
/// One lock per invitation (striped), taken by everything that reads an invitation to change it:
/// a press and a reminder or expiry racing on the same invitation must not overwrite each other.
/// </summary>
public sealed class SurveyLocks
{
    private const int Stripes = 64;
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Held> EnterAsync(string invitationId, CancellationToken cancellationToken)
    {
        var gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(invitationId ?? string.Empty) % Stripes)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Held(gate);
    }

    /// <summary>Releases the lock when disposed.</summary>
    public readonly struct Held(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
