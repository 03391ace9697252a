using System.Text;

namespace Perpetuo.Control.Patches;

/// <summary>Rules for module ids: what fits a command record and reads well in an OSC address.</summary>
public static class Names
{
    /// <summary>Longest id in UTF-8 bytes (the command record's field).</summary>
    public const int MaxIdBytes = Perpetuo.Protocol.Limits.MaxIdBytes;

    /// <summary>Null if <paramref name="id"/> is a usable module id, else why not.</summary>
    public static string? CheckId(string id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return "module id must not be empty";
        }
        if (Encoding.UTF8.GetByteCount(id) > MaxIdBytes)
        {
            return $"module id \"{id}\" is longer than {MaxIdBytes} bytes";
        }
        foreach (char c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return $"module id \"{id}\" may contain only letters, digits, '_', '-' and '.'";
            }
        }
        return null;
    }
}
