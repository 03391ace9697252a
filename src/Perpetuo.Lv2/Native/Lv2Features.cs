using System.Runtime.InteropServices;

namespace Perpetuo.Lv2.Native;

/// <summary>
/// The <c>const LV2_Feature* const*</c> array one instance is given, in unmanaged memory that lives until
/// <see cref="Dispose"/>, which must come after lilv_instance_free: a plugin may keep any pointer it was given.
/// </summary>
/// <remarks>
/// Layouts (lv2/core/lv2.h, lv2/urid/urid.h, lv2/options/options.h): <c>LV2_Feature { const char* URI; void* data; }</c>;
/// <c>LV2_URID_Map { handle; map; }</c> and <c>LV2_URID_Unmap { handle; unmap; }</c>, two pointers each;
/// <c>LV2_Options_Option { uint32 context; uint32 subject; LV2_URID key; uint32 size; LV2_URID type; const void*
/// value; }</c>, the pointer aligned to its size (offset 24, size 32 on LP64), the array ending with an all-zero
/// entry. bufsz:boundedBlockLength carries no data. <c>LV2_Worker_Schedule { handle; schedule_work; }</c>, two pointers;
/// <c>LV2_State_Map_Path { handle; abstract_path; absolute_path; }</c>, three; <c>LV2_State_Free_Path { handle; free_path; }</c>, two.
/// </remarks>
internal sealed class Lv2Features : IDisposable
{
    private static readonly int OptionValueOffset = Align(5 * sizeof(uint), IntPtr.Size);
    private static readonly int OptionSize = OptionValueOffset + IntPtr.Size;

    private readonly List<IntPtr> blocks = [];

    /// <summary>Builds the features of <see cref="Lv2Support.ProvidedFeatures"/>. Control thread only.</summary>
    internal Lv2Features(Lv2UridMap map, IntPtr mapHandle, IntPtr workerHandle, float sampleRate, int minBlock, int nominalBlock, int maxBlock)
    {
        IntPtr uridMap = Pointers(mapHandle, UridCallbacks.MapFunction);
        IntPtr uridUnmap = Pointers(mapHandle, UridCallbacks.UnmapFunction);

        // The option values: three atom:Int, one atom:Float and one atom:Int, 4 bytes each.
        IntPtr values = Block(20);
        Marshal.WriteInt32(values, 0, maxBlock);
        Marshal.WriteInt32(values, 4, minBlock);
        Marshal.WriteInt32(values, 8, nominalBlock);
        Marshal.WriteInt32(values, 12, BitConverter.SingleToInt32Bits(sampleRate));
        Marshal.WriteInt32(values, 16, Perpetuo.Protocol.Limits.PluginAtomBytes);
        uint atomInt = map.Map(Lv2Uris.AtomInt);
        uint atomFloat = map.Map(Lv2Uris.AtomFloat);
        IntPtr options = Block(OptionSize * 6); // five options and the terminator (zeroed by Block)
        Option(options, 0, map.Map(Lv2Uris.MaxBlockLength), atomInt, values);
        Option(options, 1, map.Map(Lv2Uris.MinBlockLength), atomInt, values + 4);
        Option(options, 2, map.Map(Lv2Uris.NominalBlockLength), atomInt, values + 8);
        Option(options, 3, map.Map(Lv2Uris.SampleRate), atomFloat, values + 12);
        Option(options, 4, map.Map(Lv2Uris.SequenceSize), atomInt, values + 16); // every atom buffer holds at least this

        (string Uri, IntPtr Data)[] features =
        [
            (Lv2Uris.UridMap, uridMap),
            (Lv2Uris.UridUnmap, uridUnmap),
            (Lv2Uris.Options, options),
            (Lv2Uris.BoundedBlockLength, IntPtr.Zero),
            (Lv2Uris.WorkerSchedule, Pointers(workerHandle, WorkerCallbacks.ScheduleFunction)),
            (Lv2Uris.StateMapPath, Triple(IntPtr.Zero, StateCallbacks.AbstractPathFunction, StateCallbacks.AbsolutePathFunction)),
            (Lv2Uris.StateFreePath, Pointers(IntPtr.Zero, StateCallbacks.FreePathFunction)),
        ];
        Array = Block(IntPtr.Size * (features.Length + 1)); // NULL-terminated
        for (int i = 0; i < features.Length; i++)
        {
            Marshal.WriteIntPtr(Array, i * IntPtr.Size, Pointers(Utf8(features[i].Uri), features[i].Data));
        }
    }

    /// <summary>The NULL-terminated feature array to pass to lilv_plugin_instantiate.</summary>
    internal IntPtr Array { get; }

    public void Dispose()
    {
        foreach (IntPtr b in blocks)
        {
            Marshal.FreeHGlobal(b);
        }
        blocks.Clear();
    }

    private static int Align(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    private static void Option(IntPtr options, int i, uint key, uint type, IntPtr value)
    {
        IntPtr o = options + (i * OptionSize);
        Marshal.WriteInt32(o, 0, 0);   // LV2_OPTIONS_INSTANCE
        Marshal.WriteInt32(o, 4, 0);   // subject: the instance itself
        Marshal.WriteInt32(o, 8, (int)key);
        Marshal.WriteInt32(o, 12, 4);  // size of the value
        Marshal.WriteInt32(o, 16, (int)type);
        Marshal.WriteIntPtr(o, OptionValueOffset, value);
    }

    /// <summary>A zeroed unmanaged block, freed by Dispose.</summary>
    private IntPtr Block(int bytes)
    {
        IntPtr p = Marshal.AllocHGlobal(bytes);
        blocks.Add(p);
        for (int i = 0; i < bytes; i++)
        {
            Marshal.WriteByte(p, i, 0);
        }
        return p;
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>, freed by Dispose.</summary>
    private IntPtr Utf8(string text)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        IntPtr p = Block(bytes.Length + 1);
        Marshal.Copy(bytes, 0, p, bytes.Length);
        return p;
    }

    /// <summary>A block of three pointers: a C struct of three pointer fields (LV2_State_Map_Path).</summary>
    private IntPtr Triple(IntPtr first, IntPtr second, IntPtr third)
    {
        IntPtr p = Block(3 * IntPtr.Size);
        Marshal.WriteIntPtr(p, 0, first);
        Marshal.WriteIntPtr(p, IntPtr.Size, second);
        Marshal.WriteIntPtr(p, 2 * IntPtr.Size, third);
        return p;
    }

    /// <summary>A block of two pointers: a C struct of two pointer fields.</summary>
    private IntPtr Pointers(IntPtr first, IntPtr second)
    {
        IntPtr p = Block(2 * IntPtr.Size);
        Marshal.WriteIntPtr(p, 0, first);
        Marshal.WriteIntPtr(p, IntPtr.Size, second);
        return p;
    }
}
