namespace Perpetuo.Lv2;

/// <summary>A plugin cannot be hosted: unknown URI, unsupported, or its instantiate refused. The message is one line.</summary>
public class Lv2Exception : Exception
{
    /// <summary>Creates the exception.</summary>
    public Lv2Exception()
    {
    }

    /// <summary>Creates the exception with a one-line reason.</summary>
    public Lv2Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line reason and its cause.</summary>
    public Lv2Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
