namespace Perpetuo.Audio.Native;

/// <summary>
/// An audio backend cannot be used here: its native library is not installed, its server is not running, or it
/// has no usable device. <see cref="OutputSelector"/> turns this into a fallback (null output) with a message.
/// </summary>
public sealed class AudioBackendUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AudioBackendUnavailableException()
    {
    }

    /// <summary>Creates the exception with a one-line reason.</summary>
    public AudioBackendUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause (e.g. a <see cref="DllNotFoundException"/>).</summary>
    public AudioBackendUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
