using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using Perpetuo.Dsp;

namespace Perpetuo.Cli;

/// <summary>
/// <c>render</c> guarded: the DSP runs in a child copy of this program, which says in a small shared file which block
/// and which module it is in (<see cref="Probe"/>); the parent waits for it. A module that crashes the child (a native
/// plugin's SIGSEGV, abort, exit) or makes no progress for <see cref="Perpetuo.Protocol.Limits.RenderHangTime"/>
/// (a busy loop, a plugin blocked forever) ends the render with one line naming the module and the block, exit 3 —
/// never a process that spins forever. Only a session whose journal does not hold the fault's quarantine (or a
/// plugin that faults in render only) gets there: play journals every quarantine before its block.
/// </summary>
internal static class RenderGuard
{
    /// <summary>The render's exit status when a module crashed or hung.</summary>
    public const int ModuleFailed = 3;

    /// <summary>Hidden option of <c>render</c>: this is the guarded child, reporting through the probe file.</summary>
    public const string ChildOption = "--guarded-child";

    private const int ProbeBytes = 64;
    private const int MaxIdBytes = 40;

    /// <summary>
    /// Runs <paramref name="args"/> (render's own, with the probe file added) in a child and waits: its exit status, or
    /// <see cref="ModuleFailed"/> with the line that says which module crashed or hung at which block.
    /// </summary>
    public static int RunGuarded(IReadOnlyList<string> args)
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("perpetuo-render-"); // 0700: nobody else's file or link in it
        string probePath = Path.Combine(directory.FullName, "probe");
        try
        {
            using (FileStream f = new(probePath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None))
            {
                f.SetLength(ProbeBytes);
            }
            (string file, string[] prefix) = SelfProcess.Command();
            var psi = new ProcessStartInfo(file) { UseShellExecute = false }; // the child's output is the render's
            foreach (string a in prefix.Concat(args).Append(ChildOption).Append(probePath))
            {
                psi.ArgumentList.Add(a);
            }
            using Process child = Process.Start(psi) ?? throw new CliException($"render: could not start {file}");
            using var mapped = MemoryMappedFile.CreateFromFile(probePath, FileMode.Open, null, ProbeBytes, MemoryMappedFileAccess.Read);
            using MemoryMappedViewAccessor view = mapped.CreateViewAccessor(0, ProbeBytes, MemoryMappedFileAccess.Read);
            long lastProgress = -1;
            var still = Stopwatch.StartNew();
            while (!child.WaitForExit(100))
            {
                long progress = view.ReadInt64(0);
                if (progress != lastProgress || view.ReadInt32(16) < 0)
                {
                    lastProgress = progress; // it moves, or it is between modules (writing the file, reading the journal)
                    still.Restart();
                }
                else if (still.Elapsed >= Perpetuo.Protocol.Limits.RenderHangTime)
                {
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit();
                    Console.Error.WriteLine($"render: error: {Where(view)} made no progress for {Perpetuo.Protocol.Limits.RenderHangTime.TotalSeconds:0} s (it hangs): the render was stopped; " +
                                            "a session whose journal does not hold this module's quarantine cannot be rendered past it");
                    return ModuleFailed;
                }
            }
            int code = child.ExitCode;
            if (code > 128 && view.ReadInt32(16) >= 0)
            {
                Console.Error.WriteLine($"render: error: {Where(view)} {PluginCheck.Death(code)}: the render stopped there; " +
                                        "a session whose journal does not hold this module's quarantine cannot be rendered past it");
                return ModuleFailed;
            }
            if (code > 128)
            {
                Console.Error.WriteLine($"render: error: the render process {PluginCheck.Death(code)} at block {view.ReadInt64(8)}, between modules");
            }
            return code;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string Where(MemoryMappedViewAccessor view)
    {
        int length = Math.Clamp(view.ReadInt32(20), 0, MaxIdBytes);
        var id = new byte[length];
        view.ReadArray(24, id, 0, length);
        return $"module '{System.Text.Encoding.UTF8.GetString(id)}' (chain position {view.ReadInt32(16)}) at block {view.ReadInt64(8)}";
    }

    /// <summary>The child's side: where the chain is, written into the probe file (block, module index and id, a progress count).</summary>
    public sealed class Probe : IChainProbe, IDisposable
    {
        private readonly MemoryMappedFile _mapped;
        private readonly MemoryMappedViewAccessor _view;
        private readonly byte[] _id = new byte[MaxIdBytes];
        private int _idLength = -1;
        private long _progress;

        /// <summary>Opens the parent's probe file. Throws CliException when it is not one.</summary>
        public Probe(string path)
        {
            try
            {
                _mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, ProbeBytes, MemoryMappedFileAccess.ReadWrite);
                _view = _mapped.CreateViewAccessor(0, ProbeBytes, MemoryMappedFileAccess.ReadWrite);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CliException($"render: {ChildOption} {path}: {e.Message}", e);
            }
            _view.Write(16, -1);
        }

        /// <summary>The block about to be rendered.</summary>
        public void BeginBlock(long block)
        {
            _view.Write(8, block);
            _view.Write(0, ++_progress);
        }

        /// <inheritdoc/>
        public void Entering(int index, ReadOnlySpan<byte> moduleId)
        {
            ReadOnlySpan<byte> id = moduleId.Length > MaxIdBytes ? moduleId[..MaxIdBytes] : moduleId;
            if (id.Length != _idLength || !id.SequenceEqual(_id.AsSpan(0, _idLength)))
            {
                id.CopyTo(_id);
                _idLength = id.Length;
                _view.WriteArray(24, _id, 0, _idLength);
                _view.Write(20, _idLength);
            }
            _view.Write(16, index);
            _view.Write(0, ++_progress);
        }

        /// <inheritdoc/>
        public void Left()
        {
            _view.Write(16, -1);
            _view.Write(0, ++_progress);
        }

        /// <inheritdoc/>
        public void Dispose()
        {
            _view.Dispose();
            _mapped.Dispose();
        }
    }
}
