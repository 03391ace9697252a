using System.Text;

namespace Perpetuo.Control.Commands;

/// <summary>
/// Turns the UTF-8 strings of incoming OSC messages (addresses, module ids, parameter names) into strings without
/// allocating a new one each time: the same few names arrive thousands of times a second, and every allocation in
/// the audio process brings its next garbage collection closer.
/// </summary>
/// <remarks>
/// One instance per thread (not thread-safe; the parser keeps one per thread). Bounded: past <see cref="Capacity"/> distinct strings, new ones are
/// allocated and not kept, so a sender inventing names cannot grow it without limit.
/// </remarks>
public sealed class Utf8Strings
{
    /// <summary>Most strings kept.</summary>
    public const int Capacity = 4096;

    private const int MaxChars = 256;
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public Utf8Strings()
    {
        _lookup = _set.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The string for <paramref name="utf8"/>: a kept instance when it was seen before.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxChars)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        Span<char> chars = stackalloc char[MaxChars];
        int n = Encoding.UTF8.GetChars(utf8, chars);
        if (_lookup.TryGetValue(chars[..n], out string? known))
        {
            return known;
        }
        string s = new(chars[..n]);
        if (_set.Count < Capacity)
        {
            _set.Add(s);
        }
        return s;
    }
}
