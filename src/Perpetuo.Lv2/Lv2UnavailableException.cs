namespace Perpetuo.Lv2;

/// <summary>liblilv-0 is not installed, so no LV2 plugin can be listed or hosted here.</summary>
public sealed class Lv2UnavailableException : Lv2Exception
{
    /// <summary>The one line to tell a user.</summary>
    public const string Advice = "LV2 hosting needs liblilv-0-0: apt-get install liblilv-0-0";

    /// <summary>Creates the exception with <see cref="Advice"/> as its message.</summary>
    public Lv2UnavailableException()
        : base(Advice)
    {
    }

    /// <summary>Creates the exception with a one-line reason.</summary>
    public Lv2UnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause (the <see cref="DllNotFoundException"/>).</summary>
    public Lv2UnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
