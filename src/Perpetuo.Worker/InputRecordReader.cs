using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Perpetuo.Worker;

/// <summary>
/// The session's live input on disk, read by block number: the supervisor's recorder writes every block from block 0
/// into a 32-bit float WAV (<c>InputRecorder</c>: the journal's input file, or the private record of a session without
/// one), and a worker replayed from further back than its region's input ring holds reads the older blocks here.
/// </summary>
/// <remarks>
/// Design: the file is opened the first time it is needed (a worker that never falls behind its ring never opens it),
/// its header checked once against the region's format (float, channels), and each block read at its offset with one
/// positioned read into the caller's buffer: no allocation, no shared file position. Nothing in the file is trusted:
/// a header that is not this format, or a block the file does not hold yet (the recorder stopped, or failed), is
/// "not there" (<see cref="Error"/> says why) and the worker stops with <c>WorkerExitCode.InputLost</c>; its
/// per-block hashes, compared with what was played, judge what it renders. Render thread only.
/// </remarks>
public sealed class InputRecordReader : IDisposable
{
    /// <summary>The most header bytes looked through for the data chunk.</summary>
    private const int MaxHeaderBytes = 4096;

    private readonly string _path;
    private readonly int _channels;
    private readonly int _blockSamples;
    private SafeFileHandle? _file;
    private long _dataOffset = -1;
    private bool _failed;

    /// <param name="path">The record's WAV.</param>
    /// <param name="channels">Interleaved channels of a block (the region's).</param>
    /// <param name="blockSamples">Samples of one block, all channels.</param>
    public InputRecordReader(string path, int channels, int blockSamples)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _channels = channels;
        _blockSamples = blockSamples;
    }

    /// <summary>Why the record could not serve a block (set with the first failure), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Blocks read from the record so far.</summary>
    public long BlocksRead { get; private set; }

    /// <summary>Reads block <paramref name="seq"/>'s input into <paramref name="destination"/> (one block); false if the record has not got it.</summary>
    public bool TryRead(long seq, Span<float> destination)
    {
        if (seq < 0 || destination.Length < _blockSamples || !BitConverter.IsLittleEndian || !TryOpen())
        {
            return false;
        }
        Span<byte> bytes = MemoryMarshal.AsBytes(destination[.._blockSamples]);
        long offset = _dataOffset + (seq * bytes.Length);
        int total = 0;
        try
        {
            while (total < bytes.Length)
            {
                int n = RandomAccess.Read(_file!, bytes[total..], offset + total);
                if (n <= 0)
                {
                    return Fail($"{_path} ends before block {seq}");
                }
                total += n;
            }
        }
        catch (IOException e)
        {
            return Fail($"reading block {seq} of {_path}: {e.Message}");
        }
        BlocksRead++;
        return true;
    }

    private bool TryOpen()
    {
        if (_dataOffset >= 0)
        {
            return true;
        }
        if (_failed)
        {
            return false;
        }
        try
        {
            _file = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            Span<byte> header = stackalloc byte[MaxHeaderBytes];
            int length = RandomAccess.Read(_file, header, 0);
            long data = DataOffset(header[..length]);
            if (data < 0)
            {
                return Fail($"{_path} is not a {_channels}-channel 32-bit float WAV");
            }
            _dataOffset = data;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail($"opening {_path}: {e.Message}");
        }
    }

    /// <summary>Where the samples start: the data chunk after a float fmt chunk of this many channels, or -1.</summary>
    private long DataOffset(ReadOnlySpan<byte> h)
    {
        if (h.Length < 12 || !h[..4].SequenceEqual("RIFF"u8) || !h[8..12].SequenceEqual("WAVE"u8))
        {
            return -1;
        }
        bool format = false;
        for (int at = 12; at + 8 <= h.Length;)
        {
            ReadOnlySpan<byte> id = h.Slice(at, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(h[(at + 4)..]);
            if (id.SequenceEqual("data"u8))
            {
                return format ? at + 8 : -1;
            }
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || at + 24 > h.Length)
                {
                    return -1;
                }
                ReadOnlySpan<byte> f = h.Slice(at + 8, 16);
                format = BinaryPrimitives.ReadUInt16LittleEndian(f) == 3 // IEEE float
                         && BinaryPrimitives.ReadUInt16LittleEndian(f[2..]) == _channels
                         && BinaryPrimitives.ReadUInt16LittleEndian(f[14..]) == 32;
            }
            if (size > MaxHeaderBytes)
            {
                return -1;
            }
            at += 8 + (int)size + (int)(size & 1);
        }
        return -1;
    }

    private bool Fail(string why)
    {
        _failed = true;
        Error ??= why;
        return false;
    }

    /// <inheritdoc/>
    public void Dispose() => _file?.Dispose();
}
