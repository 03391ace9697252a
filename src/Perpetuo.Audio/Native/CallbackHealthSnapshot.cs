namespace Perpetuo.Audio.Native;

/// <summary>Callback health at one moment: callbacks counted, durations kept, and their p50, p99.9 and max.</summary>
public readonly record struct CallbackHealthSnapshot(long Callbacks, int Samples, TimeSpan P50, TimeSpan P999, TimeSpan Max)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Callbacks} callbacks, p50 {P50.TotalMicroseconds:F1} us, p99.9 {P999.TotalMicroseconds:F1} us, max {Max.TotalMicroseconds:F1} us (of {Samples})";
}
