namespace Perpetuo.Dsp;

/// <summary>
/// The one exception type the DSP library throws for bad configuration input: unknown module types or
/// parameters, out-of-range or non-finite values, duplicate or unknown module ids, malformed snapshots.
/// The message names the offending item so it can be shown to a user as is.
/// </summary>
/// <remarks>Never thrown on the audio path for bad commands: those are rejected and counted instead.</remarks>
public sealed class DspException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public DspException()
    {
    }

    /// <summary>Creates an exception with a user-facing message.</summary>
    public DspException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a user-facing message and the underlying cause.</summary>
    public DspException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
