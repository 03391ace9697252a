namespace Perpetuo.Transport;

/// <summary>A region's header does not describe a region this build can use.</summary>
public sealed class RegionFormatException : Exception
{
    public RegionFormatException(string message) : base(message)
    {
    }

    public RegionFormatException()
    {
    }

    public RegionFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
