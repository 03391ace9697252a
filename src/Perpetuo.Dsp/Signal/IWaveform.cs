namespace Perpetuo.Dsp;

/// <summary>
/// A waveform as a static function of phase. Design: render loops are generic over a struct implementing this,
/// so the JIT emits one specialised loop per wave and the wave is chosen once per block, not per sample.
/// </summary>
internal interface IWaveform
{
    /// <summary>Band-limited sample at <paramref name="phase"/> in [0,1) with per-sample increment <paramref name="dt"/> in (0, 0.5).</summary>
    static abstract float Sample(double phase, double dt);
}
