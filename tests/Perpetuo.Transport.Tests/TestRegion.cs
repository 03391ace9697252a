using System.Runtime.InteropServices;

namespace Perpetuo.Transport.Tests;

/// <summary>A region as play makes it (a memory file), plus raw access to its pages through its /proc path for scribbling.</summary>
internal sealed class TestRegion : IDisposable
{
    public TestRegion(int frames = 64, int channels = 2, int capacity = 4, int commandCapacity = 1024)
    {
        Layout = new RegionLayout(frames, channels, 48000, capacity, commandCapacity);
        Region = SharedRegion.Create(Layout, 0);
    }

    public RegionLayout Layout { get; }

    public SharedRegion Region { get; }

    public static int HeaderOffset(string field) => (int)Marshal.OffsetOf<RegionHeader>(field);

    public static int SlotHeaderOffset(string field) => (int)Marshal.OffsetOf<AudioSlotHeader>(field);

    /// <summary>File offset of audio slot <paramref name="index"/>.</summary>
    public long SlotOffset(int index) => Layout.AudioRingOffset + ((long)index * Layout.SlotStride);

    /// <summary>File offset of sample <paramref name="sample"/> in audio slot <paramref name="index"/>.</summary>
    public long SampleOffset(int index, int sample) => SlotOffset(index) + AudioSlotHeader.Size + (sample * sizeof(float));

    /// <summary>Writes raw bytes into the region through the file (a second path to the same pages).</summary>
    public void Poke(long offset, ReadOnlySpan<byte> bytes)
    {
        using var f = new FileStream(Region.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        f.Seek(offset, SeekOrigin.Begin);
        f.Write(bytes);
    }

    public void PokeLong(long offset, long value) => Poke(offset, BitConverter.GetBytes(value));

    public void PokeInt(long offset, int value) => Poke(offset, BitConverter.GetBytes(value));

    public byte Peek(long offset)
    {
        using var f = new FileStream(Region.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        f.Seek(offset, SeekOrigin.Begin);
        return (byte)f.ReadByte();
    }

    public void Dispose()
    {
        Region.Dispose();
    }
}
