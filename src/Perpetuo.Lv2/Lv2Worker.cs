using System.Runtime.InteropServices;
using Perpetuo.Lv2.Native;
using Perpetuo.Protocol;

namespace Perpetuo.Lv2;

/// <summary>
/// The host side of one instance's LV2 worker (work:schedule): requests the plugin makes, done off the render thread,
/// their responses delivered at a block fixed when the request was made — never when the work happens to finish.
/// </summary>
/// <remarks>
/// Design: a request made while the engine renders block N (in run(), or in a work_response() delivered then) is
/// copied into a slot, with its due block N + <see cref="DelayBlocks"/> (<see cref="Limits.PluginWorkLatencySeconds"/> of
/// audio, whole blocks). The process's one <see cref="Lv2WorkThread"/> calls the plugin's work() on it as soon as it
/// can, and keeps its responses in the slot. At the start of each block (<see cref="BeginBlock"/>, before the first
/// run), every slot that is due is delivered, in the order the requests were made: work_response() for each response.
/// A slot that is due and not done yet is waited for, there: the render thread blocks until the work is done. So
/// every replica, and render, delivers every response at the same block and between the same two runs, however
/// fast or slow the machine or the plugin's work is; work slower than the latency costs time in every replica alike
/// (an underrun if it outlasts the workers' lead; past the hang timeout, a hang of the plugin, found and quarantined
/// like one in run()). Requests made outside any block — while the plugin is built or its state restored — are done
/// and answered by <see cref="Settle"/> on the building thread, before the first block. Every size is bounded: a
/// request or response of more than <see cref="Limits.PluginWorkBytes"/>, more than <see cref="Limits.PluginWorkQueue"/>
/// requests waiting, or more than <see cref="Limits.PluginWorkResponses"/> responses to one request are refused
/// (LV2_WORKER_ERR_NO_SPACE), the same way in every replica. No allocation after construction, on any thread.
/// Threads: <see cref="TrySchedule"/> and <see cref="BeginBlock"/> on the render thread (or the building thread, before
/// the first block); <see cref="Work"/> on the work thread; <see cref="Respond"/> inside Work.
/// </remarks>
internal sealed class Lv2Worker : IDisposable
{
    internal const int Success = 0;
    internal const int ErrorUnknown = 1;
    internal const int ErrorNoSpace = 2;

    private const int Free = 0;
    private const int Requested = 1;
    private const int Working = 2;
    private const int Done = 3;

    private readonly Slot[] _slots = new Slot[Limits.PluginWorkQueue];
    private GCHandle _self;
    private WorkerInterface? _plugin;
    private IntPtr _handle;
    private bool _bound;      // Bind was called: requests are kept only when the plugin has a worker
    private long _block;      // blocks begun (the render thread's count)
    private long _head;       // the oldest request not delivered (written by the render thread); long: never wraps
    private long _tail;       // where the next request goes (written by the render thread)
    private int _inWork;      // 1 while a thread is inside this instance's work()
    private int _workingThread; // the managed id of that thread
    private bool _disposed;

    internal Lv2Worker(double sampleRate, int blockFrames)
    {
        DelayBlocks = Math.Max(1, (int)Math.Ceiling(Limits.PluginWorkLatencySeconds * sampleRate / blockFrames));
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot(this);
        }
        _self = GCHandle.Alloc(this);
    }

    /// <summary>Blocks between a request and its response.</summary>
    internal int DelayBlocks { get; }

    /// <summary>The handle the schedule feature carries (a GCHandle of this).</summary>
    internal IntPtr Handle => GCHandle.ToIntPtr(_self);

    /// <summary>Requests refused for want of room (too large, too many waiting), in every replica alike.</summary>
    internal long Refused { get; private set; }

    /// <summary>Requests whose responses were delivered.</summary>
    internal long Delivered { get; private set; }

    /// <summary>
    /// Binds the plugin's worker interface once it is instantiated (requests made inside instantiate wait for it);
    /// without one, they are dropped and every later request is refused as unknown.
    /// </summary>
    internal void Bind(IntPtr instanceHandle, WorkerInterface? plugin)
    {
        _handle = instanceHandle;
        _plugin = plugin;
        _bound = true;
        if (plugin != null)
        {
            Lv2WorkThread.Register(this);
            return;
        }
        foreach (Slot slot in _slots)
        {
            slot.State = Free;
        }
        _head = _tail = 0;
    }

    /// <summary>schedule_work: copies the request into the next slot. Render thread (or the building thread).</summary>
    internal int TrySchedule(uint size, IntPtr data)
    {
        if ((_bound && _plugin == null) || _disposed || (InWork && Environment.CurrentManagedThreadId == Volatile.Read(ref _workingThread)))
        {
            return ErrorUnknown; // no worker, or a request from inside work() (LV2: from run() only)
        }
        Slot slot = _slots[_tail % _slots.Length];
        if (size > Limits.PluginWorkBytes || Volatile.Read(ref slot.State) != Free || (size > 0 && data == IntPtr.Zero))
        {
            Refused++;
            return ErrorNoSpace;
        }
        if (size > 0)
        {
            Marshal.Copy(data, slot.Request, 0, (int)size);
        }
        slot.Size = (int)size;
        slot.Responses = 0;
        slot.ResponseBytes = 0;
        slot.Due = _block + DelayBlocks;
        Volatile.Write(ref slot.State, Requested); // after the copy: the work thread reads the request once it sees this
        Volatile.Write(ref _tail, _tail + 1);
        if (_plugin != null)
        {
            Lv2WorkThread.Wake();
        }
        return Success;
    }

    /// <summary>
    /// The start of a block: delivers, in request order, every response due by now, waiting for work not done yet.
    /// Render thread only. Allocation-free.
    /// </summary>
    internal void BeginBlock()
    {
        _block++;
        if (_head != _tail)
        {
            DeliverDue(_block, int.MaxValue); // ends: a response's own requests are due later
        }
    }

    /// <summary>
    /// Does every request made so far and delivers its responses now, on the calling thread, until none is left (a
    /// response may make a new request), so a plugin built or restored off the render thread starts its first block
    /// with its work done. Never while the render thread runs this instance.
    /// </summary>
    internal void Settle()
    {
        if (_plugin != null)
        {
            DeliverDue(long.MaxValue, 4 * Limits.PluginWorkQueue);
        }
    }

    /// <summary>
    /// The work thread: does this instance's oldest request not done yet, if nobody is doing it; true when it did one.
    /// Only the oldest may be taken, by whichever thread takes it first (the render thread takes a due one itself), so
    /// work() runs for one request at a time and in the order they were made, as LV2 requires.
    /// </summary>
    internal bool Work()
    {
        Slot? slot = OldestNotDone();
        if (slot == null || Interlocked.CompareExchange(ref slot.State, Working, Requested) != Requested)
        {
            return false;
        }
        Run(slot);
        return true;
    }

    private Slot? OldestNotDone()
    {
        long tail = Volatile.Read(ref _tail);
        for (long i = Volatile.Read(ref _head); i != tail; i++)
        {
            Slot slot = _slots[i % _slots.Length];
            int state = Volatile.Read(ref slot.State);
            if (state != Done)
            {
                return state == Requested ? slot : null;
            }
        }
        return null;
    }

    /// <summary>respond(): keeps one response of the slot being worked on. Inside work() only (work thread or Settle).</summary>
    internal int Respond(Slot slot, uint size, IntPtr data)
    {
        if (size > Limits.PluginWorkBytes - slot.ResponseBytes || slot.Responses == Limits.PluginWorkResponses || (size > 0 && data == IntPtr.Zero))
        {
            return ErrorNoSpace;
        }
        if (size > 0)
        {
            Marshal.Copy(data, slot.Response, slot.ResponseBytes, (int)size);
        }
        slot.Offsets[slot.Responses] = slot.ResponseBytes;
        slot.Lengths[slot.Responses] = (int)size;
        slot.Responses++;
        slot.ResponseBytes += (int)size;
        return Success;
    }

    /// <summary>True when the plugin has a worker that wants end_run after every run.</summary>
    internal bool WantsEndRun => _plugin is { HasEndRun: true };

    /// <summary>end_run, after every run(). Render thread.</summary>
    internal void EndRun() => _plugin?.EndRun(_handle);

    /// <summary>Waits for the work in flight, delivers nothing more, and leaves the work thread's list.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (_plugin != null)
        {
            Lv2WorkThread.Unregister(this); // returns once the work thread is out of this instance's work()
        }
        if (_self.IsAllocated)
        {
            _self.Free();
        }
        foreach (Slot slot in _slots)
        {
            slot.Free();
        }
    }

    /// <summary>True while a thread is inside this instance's work().</summary>
    private bool InWork => Volatile.Read(ref _inWork) != 0;

    /// <summary>Delivers the due requests in order, at most <paramref name="most"/> (a plugin that answers every
    /// response with a new request must not keep <see cref="Settle"/> going for ever: the rest wait for their block).</summary>
    private void DeliverDue(long block, int most)
    {
        for (int n = 0; n < most && _head != _tail; n++)
        {
            Slot slot = _slots[_head % _slots.Length];
            if (slot.Due > block)
            {
                return;
            }
            // Due: do it here if the work thread has not begun it (every older one is delivered, so this is the
            // oldest); else wait for it to finish.
            if (Interlocked.CompareExchange(ref slot.State, Working, Requested) == Requested)
            {
                Run(slot);
            }
            var spin = new SpinWait();
            while (Volatile.Read(ref slot.State) != Done)
            {
                spin.SpinOnce(sleep1Threshold: 30);
            }
            Deliver(slot);
            Volatile.Write(ref slot.State, Free);
            Volatile.Write(ref _head, _head + 1);
        }
    }

    private void Run(Slot slot)
    {
        Volatile.Write(ref _workingThread, Environment.CurrentManagedThreadId);
        Volatile.Write(ref _inWork, 1);
        try
        {
            _plugin!.Work(_handle, WorkerCallbacks.RespondFunction, slot.Handle, (uint)slot.Size, slot.Size == 0 ? IntPtr.Zero : slot.RequestAddress);
        }
        finally
        {
            Volatile.Write(ref _inWork, 0);
            Volatile.Write(ref slot.State, Done); // after the responses: the render thread reads them once it sees this
        }
    }

    private void Deliver(Slot slot)
    {
        for (int r = 0; r < slot.Responses; r++)
        {
            _plugin!.WorkResponse(_handle, (uint)slot.Lengths[r], slot.Lengths[r] == 0 ? IntPtr.Zero : slot.ResponseAddress + slot.Offsets[r]);
        }
        Delivered++;
    }

    /// <summary>One request and its responses, in pinned buffers allocated with the worker; its handle is respond()'s.</summary>
    internal sealed class Slot
    {
        private GCHandle _handle;

        public Slot(Lv2Worker owner)
        {
            Owner = owner;
            _handle = GCHandle.Alloc(this);
        }

        public Lv2Worker Owner { get; }

        public IntPtr Handle => GCHandle.ToIntPtr(_handle);

        public readonly byte[] Request = GC.AllocateArray<byte>(Limits.PluginWorkBytes, pinned: true);
        public readonly byte[] Response = GC.AllocateArray<byte>(Limits.PluginWorkBytes, pinned: true);
        public readonly int[] Offsets = new int[Limits.PluginWorkResponses];
        public readonly int[] Lengths = new int[Limits.PluginWorkResponses];
        public int State;
        public int Size;
        public int Responses;
        public int ResponseBytes;
        public long Due;

        public IntPtr RequestAddress => Marshal.UnsafeAddrOfPinnedArrayElement(Request, 0);

        public IntPtr ResponseAddress => Marshal.UnsafeAddrOfPinnedArrayElement(Response, 0);

        public void Free()
        {
            if (_handle.IsAllocated)
            {
                _handle.Free();
            }
        }
    }
}
