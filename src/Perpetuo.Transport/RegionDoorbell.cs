using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Perpetuo.Transport;

/// <summary>
/// How a worker sleeps until it has work and is woken within microseconds when it does: a futex on the region's
/// <see cref="RegionHeader.Doorbell"/> word, the way JACK's server wakes its clients.
/// </summary>
/// <remarks>
/// Design (an eventcount, as in Dmitry Vyukov's and folly's): the supervisor changes what the worker waits for (the
/// callback releases a block, the control thread raises the render limit), then <see cref="Ring"/>s: an atomic
/// increment of the word and, only if the worker said it is waiting, one FUTEX_WAKE. The worker
/// <see cref="Arm"/>s (says it is waiting, reads the word), looks for work once more, and sleeps only while the word
/// still has the value it read — the kernel compares it atomically, so a ring between the look and the sleep is
/// never lost: either the worker's look sees the change, or the ring sees the worker waiting, or the futex sees the
/// word moved. Both sides fence between their write and their read (Dekker): a full barrier from Interlocked.
/// The callback's cost is one locked increment per slot and block, plus one system call per slot and block while
/// its worker sleeps (measured in docs/performance.md). Not a private futex: the word is shared between processes.
/// A worker that scribbles on the word or the flag only wakes itself or loses its own wake-ups (then it is judged
/// hung, as any silent worker); the supervisor never waits on it.
/// </remarks>
public sealed unsafe partial class RegionDoorbell
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    /// <summary>The futex system call's number on this architecture, or -1 where we do not know it (then waits sleep 1 ms).</summary>
    private static readonly long FutexSyscall = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        Architecture.X86 or Architecture.Arm => 240,
        _ => -1,
    };

    private readonly SharedRegion _region;
    private readonly int* _word;

    public RegionDoorbell(SharedRegion region)
    {
        ArgumentNullException.ThrowIfNull(region);
        _region = region;
        _word = (int*)Unsafe.AsPointer(ref region.Header.Doorbell); // mapped memory: never moved by the GC
    }

    /// <summary>
    /// Supervisor, any thread (the callback included): what the worker waits for has changed; wakes it if it sleeps.
    /// Wait-free and allocation-free; a system call only when the worker is waiting.
    /// </summary>
    public void Ring()
    {
        Interlocked.Increment(ref _region.Header.Doorbell); // a full barrier: the change is visible before Waiting is read
        if (Volatile.Read(ref _region.Header.Waiting) != 0 && FutexSyscall >= 0)
        {
            futexWake(FutexSyscall, _word, FutexWake, int.MaxValue, null, IntPtr.Zero, 0);
        }
    }

    /// <summary>Worker: announces that it is about to wait and returns the word to wait on. Look for work once more after it.</summary>
    public int Arm()
    {
        Interlocked.Exchange(ref _region.Header.Waiting, 1); // a full barrier: Waiting is visible before the word is read
        return Volatile.Read(ref _region.Header.Doorbell);
    }

    /// <summary>Worker: sleeps until the word moves from <paramref name="armed"/> (a ring) or <paramref name="timeoutNanos"/> pass.</summary>
    public void Wait(int armed, long timeoutNanos)
    {
        if (FutexSyscall < 0)
        {
            Thread.Sleep(1);
            return;
        }
        var timeout = new Timespec { Seconds = timeoutNanos / 1_000_000_000, Nanos = timeoutNanos % 1_000_000_000 };
        // Returns on a wake, on the timeout, at once when the word is no longer `armed` (EAGAIN), or on a signal: the
        // caller looks for work in every case, so which one it was does not matter.
        futex(FutexSyscall, _word, FutexWait, armed, &timeout, IntPtr.Zero, 0);
    }

    /// <summary>Worker: no longer waiting (rings stop making system calls).</summary>
    public void Disarm() => Volatile.Write(ref _region.Header.Waiting, 0);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanos;
    }

    // glibc's syscall(2) is variadic; every argument here is an integer or a pointer, passed in the same registers as a
    // fixed argument on x64 and arm64, and syscall reads exactly the six the futex call takes.
    [LibraryImport("libc", EntryPoint = "syscall")]
    [SuppressGCTransition] // FUTEX_WAKE is short and never blocks; the waiting call below goes through a normal transition
    private static partial long futexWake(long number, int* word, int op, int value, Timespec* timeout, IntPtr word2, int value3);

    [LibraryImport("libc", EntryPoint = "syscall")]
    private static partial long futex(long number, int* word, int op, int value, Timespec* timeout, IntPtr word2, int value3);
}
