using System.Text;
using System.Text.Json;
using Perpetuo.Control.Commands;
using Perpetuo.Control.Osc;
using Perpetuo.Control.Patches;
using Perpetuo.Protocol;
using Perpetuo.Supervisor.Control;

namespace Perpetuo.Supervisor.Osc;

// The three queries a page (perpetuo web) polls, each answered into the reused reply buffer:
// - /perpetuo/levels: the counters, each slot and each channel's peak, read from the engine's fields and encoded
//   with their type tags in a reused buffer: nothing allocated, so a page open for days costs the audio process no
//   garbage (the status JSON costs ~3.5 KB per request, and this machine's gen0 budget is ~2 MB: one status a
//   second would be a GC every ten minutes).
// - /perpetuo/events N: the lines numbered after N, as the event log wrote them (references kept by EventFeed),
//   at most EventsPerReply and one datagram's worth; `first` says where they start (after N + 1 when some were
//   no longer kept).
// - /perpetuo/patch/current P: part P of the graph as patch JSON, each part one datagram (PatchPartChars), with
//   the parts' count and a hash of the whole so a reader can tell parts of two different graphs apart. It builds the
//   JSON (allocates) once per version of the graph: a save is a person's click, and a flood of part requests costs
//   one build.
public sealed partial class OscControlServer
{
    /// <summary>Most event lines in one `/perpetuo/events` reply.</summary>
    public const int EventsPerReply = 16;

    /// <summary>Characters of patch JSON in one `/perpetuo/patch/current` part (the JSON is ASCII: a byte each).</summary>
    public const int PatchPartChars = 32 * 1024;

    /// <summary>Bytes of event lines one reply may carry (room left in a datagram for the rest).</summary>
    private const int EventBytesPerReply = MaxUdpPayload - 1024;

    // The status JSON's names of the roles, by value: one definition (SlotRole's attributes), no allocation per use.
    private static readonly string[] RoleNames = Enum.GetValues<SlotRole>()
        .Select(r => JsonSerializer.Serialize(r, StatusJsonContext.Default.SlotRole).Trim('"')).ToArray();

    private byte[] _tags = new byte[64];
    private bool _levelsAnswered;
    private bool _eventsAnswered;
    private bool _patchAnswered;

    /// <summary>The engine's last events, numbered, for `/perpetuo/events` (subscribe <see cref="EventFeed.Add(EventLine)"/> to the log).</summary>
    public EventFeed Events { get; } = new();

    /// <summary>True the first time in a packet, counted as suppressed after (one answer of each query kind per packet).</summary>
    private bool FirstInPacket(ref bool answered)
    {
        if (answered)
        {
            RepliesSuppressed++;
            return false;
        }
        answered = true;
        return true;
    }

    /// <summary><c>/perpetuo/levels ,hihhhhhhhii[sififf]*i[f]*</c> (docs/protocol.md). Allocation-free.</summary>
    private void ReplyLevels(IEngineTarget target)
    {
        EngineGlance g = target.Glance();
        int slots = Math.Clamp(g.Slots, 0, 64);
        int channels = Math.Clamp(g.Channels, 0, 256);
        Span<byte> tags = Tags(11 + (6 * slots) + 1 + channels);
        "hihhhhhhhii"u8.CopyTo(tags);
        int t = 11;
        for (int s = 0; s < slots; s++, t += 6)
        {
            "sififf"u8.CopyTo(tags[t..]);
        }
        tags[t++] = (byte)'i';
        tags[t..].Fill((byte)'f');
        var w = new OscWriter(_reply);
        w.BeginMessage("/perpetuo/levels"u8, tags);
        w.WriteInt64(g.Seq);
        w.WriteInt32(g.ActiveSlot);
        w.WriteInt64(g.Underruns);
        w.WriteInt64(g.Failovers);
        w.WriteInt64(g.Divergences);
        w.WriteInt64(Events.Newest);
        w.WriteInt64(Model.Version);
        w.WriteInt64(g.CommandsAccepted);
        w.WriteInt64(g.GcCollections);
        w.WriteInt32(g.Quarantined);
        w.WriteInt32(slots);
        for (int s = 0; s < slots; s++)
        {
            SlotGlance slot = target.GlanceSlot(s);
            int role = (int)slot.Role;
            w.WriteString(role >= 0 && role < RoleNames.Length ? RoleNames[role] : "unknown");
            w.WriteInt32(slot.Pid);
            w.WriteFloat(slot.Rms);
            w.WriteInt32((int)Math.Min(slot.Restarts, int.MaxValue));
            w.WriteFloat((float)slot.HeartbeatAgeMs);
            w.WriteFloat((float)slot.BackoffMsLeft);
        }
        w.WriteInt32(channels);
        for (int c = 0; c < channels; c++)
        {
            w.WriteFloat(target.Peak(c));
        }
        w.EndMessage();
        Send(ref w);
    }

    /// <summary><c>/perpetuo/events ,hh[s]*</c>: the newest number, the first line's number, the lines. Allocation-free.</summary>
    private void ReplyEvents(long after)
    {
        (long first, long newest) = Events.After(after);
        int count = 0;
        int bytes = 0;
        for (long n = first; n <= newest && count < EventsPerReply; n++, count++)
        {
            string? line = Events.Line(n);
            int size = line == null ? 0 : Encoding.UTF8.GetByteCount(line) + 4;
            if (line == null || bytes + size > EventBytesPerReply)
            {
                break;
            }
            bytes += size;
        }
        Span<byte> tags = Tags(2 + count);
        "hh"u8.CopyTo(tags);
        tags[2..].Fill((byte)'s');
        var w = new OscWriter(_reply);
        w.BeginMessage("/perpetuo/events"u8, tags);
        w.WriteInt64(newest);
        w.WriteInt64(first);
        for (int i = 0; i < count; i++)
        {
            w.WriteString(Events.Line(first + i)!);
        }
        w.EndMessage();
        Send(ref w);
    }

    /// <summary><c>/perpetuo/patch/current ,iiis</c>: the part, the parts, the FNV-1a hash of the whole JSON, the part's text.</summary>
    private void ReplyPatch(long part)
    {
        string json = CurrentPatchJson(out uint hash);
        if (json.Length > Limits.PatchFileBytes)
        {
            ReplyError(ControlAddresses.PatchCurrent, $"{ControlAddresses.PatchCurrent}: the graph as a patch is {json.Length} bytes, more than a patch file may be ({Limits.PatchFileBytes})");
            return;
        }
        int parts = Math.Max(1, (json.Length + PatchPartChars - 1) / PatchPartChars);
        if (part >= parts)
        {
            ReplyError(ControlAddresses.PatchCurrent, $"{ControlAddresses.PatchCurrent}: part {part} asked, the patch has {parts} (0..{parts - 1})");
            return;
        }
        int start = (int)part * PatchPartChars;
        var w = new OscWriter(_reply);
        w.BeginMessage("/perpetuo/patch/current"u8, "iiis"u8);
        w.WriteInt32((int)part);
        w.WriteInt32(parts);
        w.WriteInt32(unchecked((int)hash));
        w.WriteString(json.AsSpan(start, Math.Min(PatchPartChars, json.Length - start)));
        w.EndMessage();
        Send(ref w);
    }

    /// <summary>
    /// The graph's patch JSON and its hash, built once per version of the graph: a flood of part requests (up to
    /// 256 a tick) costs one build, not one each.
    /// </summary>
    private string CurrentPatchJson(out uint hash)
    {
        if (!ReferenceEquals(_patchOf, Model) || _patchVersion != Model.Version || _patch == null)
        {
            _patch = PatchFile.ToJson(Model.ToPatch());
            _patchHash = PatchFile.Hash(_patch);
            (_patchOf, _patchVersion) = (Model, Model.Version);
        }
        hash = _patchHash;
        return _patch;
    }

    private GraphModel? _patchOf;
    private long _patchVersion;
    private string? _patch;
    private uint _patchHash;

    /// <summary>The reused type-tag buffer, grown (rarely, never while steady) to hold <paramref name="length"/> tags.</summary>
    private Span<byte> Tags(int length)
    {
        if (_tags.Length < length)
        {
            _tags = new byte[Math.Max(length, _tags.Length * 2)];
        }
        return _tags.AsSpan(0, length);
    }
}
