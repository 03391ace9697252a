namespace Perpetuo.Cli;

/// <summary>A usage or input error: printed as one line, exit status 2.</summary>
public sealed class CliException : Exception
{
    public CliException(string message) : base(message)
    {
    }

    public CliException()
    {
    }

    public CliException(string message, Exception inner) : base(message, inner)
    {
    }
}
