namespace Perpetuo.Control.Patches;

/// <summary>A patch file or patch text that cannot be used; the message names the file, the field and what is wrong.</summary>
public sealed class PatchException : Exception
{
    public PatchException(string message) : base(message)
    {
    }

    public PatchException()
    {
    }

    public PatchException(string message, Exception inner) : base(message, inner)
    {
    }
}
