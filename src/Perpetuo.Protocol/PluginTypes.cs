using System.Text;

namespace Perpetuo.Protocol;

/// <summary>
/// How a plugin module type travels in a command record. Its full name, <c>lv2:</c> and the plugin's URI, is what
/// patches, requests, status and `perpetuo modules` show; but a record's name field holds
/// <see cref="Limits.MaxNameBytes"/> bytes, and many URIs are longer (26 of the installed swh and mda plugins). A
/// type that does not fit travels as <c>lv2#</c> and a 64-bit FNV-1a hash of its URI, in hex: 20 bytes, resolved
/// back to the plugin by every worker and by <c>render</c> from its own plugin list. One definition, both ends.
/// </summary>
public static class PluginTypes
{
    /// <summary>The prefix of a plugin module type: <c>lv2:http://plugin.org.uk/swh-plugins/plate</c>.</summary>
    public const string Prefix = "lv2:";

    /// <summary>
    /// The parameter of a plugin module with presets, after its control inputs: the number of the preset it was last
    /// set to (0 none). Not a valid LV2 symbol, so no plugin can have one of its own.
    /// </summary>
    public const string PresetParam = "lv2:preset";

    /// <summary>The prefix of the hashed form a command record carries when the full type does not fit.</summary>
    public const string HashedPrefix = "lv2#";

    /// <summary>True for a plugin type, full or hashed.</summary>
    public static bool IsPlugin(string type) =>
        type.StartsWith(Prefix, StringComparison.Ordinal) || type.StartsWith(HashedPrefix, StringComparison.Ordinal);

    /// <summary>The name a command record carries for module type <paramref name="type"/>: itself when it fits, else the hashed form.</summary>
    public static string ForRecord(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.StartsWith(Prefix, StringComparison.Ordinal) && Encoding.UTF8.GetByteCount(type) > Limits.MaxNameBytes
            ? HashedPrefix + Hash(type[Prefix.Length..]).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)
            : type;
    }

    /// <summary>True when <paramref name="recordName"/> (full or hashed) names the plugin <paramref name="uri"/>.</summary>
    public static bool Names(string recordName, string uri)
    {
        ArgumentNullException.ThrowIfNull(recordName);
        ArgumentNullException.ThrowIfNull(uri);
        return recordName.StartsWith(HashedPrefix, StringComparison.Ordinal)
            ? string.Equals(recordName, ForRecord(Prefix + uri), StringComparison.Ordinal)
            : string.Equals(recordName, Prefix + uri, StringComparison.Ordinal);
    }

    private static ulong Hash(string uri)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(uri))
        {
            h = (h ^ b) * 1099511628211UL;
        }
        return h;
    }
}
