using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Perpetuo.Lv2.Native;

namespace Perpetuo.Lv2;

/// <summary>
/// One instance of an LV2 plugin with every port connected to a buffer the host owns: an audio or CV port to a pinned
/// float array of <see cref="MaxBlockLength"/> frames (a CV input is silence: nothing modulates it), a control port
/// (input or output) to a pinned float, an atom port to an <see cref="Lv2AtomBuffer"/>, an optional port of another
/// type to NULL. Made by <see cref="Lv2Catalog.Instantiate"/>.
/// </summary>
/// <remarks>
/// Design: the buffers never move (pinned arrays from GC.AllocateArray) and are connected once, so a block is
/// "write the inputs, <see cref="Run"/>, read the outputs" with no connect_port and no marshalling: Run is one call
/// through a delegate bound at instantiation to the descriptor's run function. Inputs and outputs never share a
/// buffer (the lv2:inPlaceBroken promise). Atom outputs are reset before every run and atom inputs emptied after it,
/// so what a run sees is exactly what was written for it. Notes go to the first MIDI input (<see cref="TryWriteMidi"/>).
/// Threads: construction, <see cref="Activate"/>, <see cref="Deactivate"/> and <see cref="Dispose"/> on the control
/// thread, never during a Run; <see cref="Run"/> and the buffer and control accessors on the worker's render thread only.
/// </remarks>
public sealed class Lv2Plugin : IDisposable
{
    private readonly Lv2Catalog owner;
    private readonly Lv2Features features;
    private readonly Lv2Worker worker;
    private readonly Lv2Descriptor descriptor;
    private readonly float[][] audioInputs;
    private readonly float[][] audioOutputs;
    private readonly float[] controls; // one float per port index; only control ports' entries are connected
    private readonly int[] controlOutputPorts;
    private readonly Lv2AtomBuffer[] atomInputs;
    private readonly Lv2AtomBuffer[] atomOutputs;
    private readonly Lv2AtomBuffer? midiInput;
    private readonly uint midiEventUrid;
    private readonly int latencyPort;
    private readonly bool endRun;
    private IntPtr instance;
    private bool active;

    internal Lv2Plugin(Lv2Catalog owner, Lv2PluginInfo info, IntPtr instance, Lv2Features features, Lv2Worker worker, double sampleRate,
                       int maxBlockLength, int midiEvents)
    {
        this.owner = owner;
        this.instance = instance;
        this.features = features;
        this.worker = worker;
        Info = info;
        SampleRate = sampleRate;
        MaxBlockLength = maxBlockLength;
        descriptor = new Lv2Descriptor(instance);
        worker.Bind(descriptor.Handle, WorkerInterface.At(descriptor.ExtensionData(Lv2Uris.WorkerInterface)));
        endRun = worker.WantsEndRun;
        StateInterface = StateInterface.At(descriptor.ExtensionData(Lv2Uris.StateInterface));
        controls = GC.AllocateArray<float>(Math.Max(1, info.Ports.Count), pinned: true);
        var ins = new List<float[]>();
        var outs = new List<float[]>();
        var atomIns = new List<Lv2AtomBuffer>();
        var atomOuts = new List<Lv2AtomBuffer>();
        uint sequence = owner.UridMap.Map(Lv2Uris.AtomSequence);
        uint chunk = owner.UridMap.Map(Lv2Uris.AtomChunk);
        midiEventUrid = owner.UridMap.Map(Lv2Uris.MidiEvent);
        foreach (Lv2Port p in info.Ports)
        {
            IntPtr data = IntPtr.Zero;
            if (p.Type is Lv2PortType.Audio or Lv2PortType.CV)
            {
                float[] buffer = GC.AllocateArray<float>(maxBlockLength, pinned: true);
                if (p.Type == Lv2PortType.Audio)
                {
                    (p.IsInput ? ins : outs).Add(buffer);
                }
                data = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0);
            }
            else if (p.Type == Lv2PortType.Control)
            {
                data = Marshal.UnsafeAddrOfPinnedArrayElement(controls, p.Index);
            }
            else if (p.Type == Lv2PortType.Atom && Lv2Support.CanConnect(p))
            {
                var buffer = new Lv2AtomBuffer(p, Lv2Support.AtomBufferBytes(p, midiEvents), sequence, chunk);
                (p.IsInput ? atomIns : atomOuts).Add(buffer);
                data = buffer.Address;
            }
            // else: lv2:connectionOptional (Lv2Support.Decide refused the plugin otherwise), so NULL is allowed.
            descriptor.ConnectPort((uint)p.Index, data);
        }
        audioInputs = [.. ins];
        audioOutputs = [.. outs];
        atomInputs = [.. atomIns];
        atomOutputs = [.. atomOuts];
        midiInput = atomInputs.FirstOrDefault(b => b.Port.SupportsMidi);
        latencyPort = info.Ports.FirstOrDefault(p => p.ReportsLatency)?.Index ?? -1;
        controlOutputPorts = [.. info.Ports.Where(p => p.Type == Lv2PortType.Control && !p.IsInput).Select(p => p.Index)];
        foreach (Lv2ControlInput c in info.ControlInputs)
        {
            controls[c.PortIndex] = c.Default;
        }
    }

    /// <summary>The LilvInstance (for lilv's state functions). Control or render thread, between runs.</summary>
    internal IntPtr LilvInstance => instance;

    /// <summary>The feature array the instance was given (passed on to its state save and restore).</summary>
    internal IntPtr FeatureArray => features.Array;

    /// <summary>The instance's LV2_Handle (for its extension interfaces).</summary>
    internal IntPtr Handle => descriptor.Handle;

    /// <summary>The plugin's state interface (state:interface), or null when it keeps no state of its own.</summary>
    internal StateInterface? StateInterface { get; }

    /// <summary>The URID map the instance was given.</summary>
    internal Lv2UridMap UridMap => owner.UridMap;

    /// <summary>True when the plugin keeps state of its own (the LV2 State interface): <see cref="Lv2State"/> saves and restores it.</summary>
    public bool HasState => StateInterface != null;

    /// <summary>What the catalog knows of the plugin: ports, control ranges, features.</summary>
    public Lv2PluginInfo Info { get; }

    public double SampleRate { get; }

    /// <summary>The most frames one <see cref="Run"/> takes, and the length of every audio buffer.</summary>
    public int MaxBlockLength { get; }

    public int AudioInputCount => audioInputs.Length;

    public int AudioOutputCount => audioOutputs.Length;

    public int ControlInputCount => Info.ControlInputs.Count;

    public int ControlOutputCount => controlOutputPorts.Length;

    /// <summary>The atom inputs, in port order (the MIDI input among them).</summary>
    public IReadOnlyList<Lv2AtomBuffer> AtomInputs => atomInputs;

    /// <summary>The atom outputs, in port order: reset before every run; read them after it, or they are discarded.</summary>
    public IReadOnlyList<Lv2AtomBuffer> AtomOutputs => atomOutputs;

    /// <summary>True when the plugin takes MIDI (an instrument or a MIDI effect): <see cref="TryWriteMidi"/> reaches it.</summary>
    public bool HasMidiInput => midiInput != null;

    /// <summary>
    /// Blocks between a worker request (work:schedule) and its response: a request made in the block after the
    /// <c>n</c>-th <see cref="BeginBlock"/> is answered at the start of the block after the <c>n + WorkDelayBlocks</c>-th.
    /// </summary>
    public int WorkDelayBlocks => worker.DelayBlocks;

    /// <summary>Worker requests the host refused for want of room (a request or response too large, too many waiting).</summary>
    public long WorkRefused => worker.Refused;

    /// <summary>Worker requests whose responses were delivered.</summary>
    public long WorkDelivered => worker.Delivered;

    /// <summary>
    /// The start of a block, before its first <see cref="Run"/>: the plugin's worker responses due now are delivered,
    /// in the order the requests were made, waiting for work that is not done yet (<see cref="Lv2Worker"/>).
    /// </summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public void BeginBlock() => worker.BeginBlock();

    /// <summary>
    /// Does every worker request made so far (while the plugin was built or its state restored) and delivers their
    /// responses, on the calling thread, so the first block starts with them done. Never during a <see cref="Run"/>.
    /// </summary>
    public void SettleWork() => worker.Settle();

    /// <summary>Atom outputs found, after a run, to hold something other than a sequence within their buffer (garbage).</summary>
    public long MalformedOutputs { get; private set; }

    /// <summary>
    /// The latency the plugin reports (lv2:reportsLatency) after its last run, in frames; 0 when it reports none.
    /// </summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public float ReportedLatency => latencyPort < 0 ? 0 : controls[latencyPort];

    /// <summary>
    /// Writes a 3-byte MIDI message into the MIDI input for the next run, at <paramref name="frame"/> frames from its
    /// start (in time order: <see cref="Lv2AtomBuffer.TryAppend"/>). False when the plugin has no MIDI input or it is full.
    /// </summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public bool TryWriteMidi(int frame, byte status, byte data1, byte data2)
    {
        if (midiInput == null)
        {
            return false;
        }
        Span<byte> message = [status, data1, data2];
        return midiInput.TryAppend(frame, midiEventUrid, message);
    }

    /// <summary>Between <see cref="Activate"/> and <see cref="Deactivate"/>.</summary>
    public bool IsActive => active;

    /// <summary>
    /// Audio input <paramref name="index"/> (0-based among audio inputs, in port order): write a block's first frames
    /// here before <see cref="Run"/>. <see cref="MaxBlockLength"/> frames long.
    /// </summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public Span<float> AudioInput(int index) => audioInputs[index];

    /// <summary>Audio output <paramref name="index"/>: the frames of the last <see cref="Run"/>.</summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public Span<float> AudioOutput(int index) => audioOutputs[index];

    /// <summary>The value of control input <paramref name="index"/> (in the order of <see cref="Lv2PluginInfo.ControlInputs"/>).</summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public float GetControlInput(int index) => controls[Info.ControlInputs[index].PortIndex];

    /// <summary>Sets control input <paramref name="index"/>, clamped into its range (NaN gives its default); read at the next <see cref="Run"/>.</summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public void SetControlInput(int index, float value)
    {
        Lv2ControlInput c = Info.ControlInputs[index];
        controls[c.PortIndex] = c.Clamp(value);
    }

    /// <summary>The value of control output <paramref name="index"/> (in port order) after the last <see cref="Run"/>.</summary>
    /// <remarks>Worker render thread only. Allocation-free.</remarks>
    public float GetControlOutput(int index) => controls[controlOutputPorts[index]];

    /// <summary>Resets the plugin's state and readies it to run (LV2 activate). Control thread.</summary>
    public void Activate()
    {
        ObjectDisposedException.ThrowIf(instance == IntPtr.Zero, this);
        if (!active)
        {
            descriptor.Activate();
            active = true;
        }
    }

    /// <summary>
    /// Processes <paramref name="frames"/> frames (1..<see cref="MaxBlockLength"/>; 0 does nothing) from the audio
    /// inputs' first frames into the audio outputs' first frames.
    /// </summary>
    /// <remarks>Worker render thread only. Allocation-free (measured in Lv2PluginTests); as real-time safe as the plugin.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Run(int frames)
    {
        if (!active || (uint)frames > (uint)MaxBlockLength)
        {
            ThrowCannotRun(frames);
        }
        if (frames > 0)
        {
            foreach (Lv2AtomBuffer o in atomOutputs)
            {
                o.ResetOutput();
            }
            descriptor.Run((uint)frames);
            if (endRun)
            {
                worker.EndRun();
            }
            foreach (Lv2AtomBuffer i in atomInputs)
            {
                i.Clear();
            }
            foreach (Lv2AtomBuffer o in atomOutputs)
            {
                _ = o.ReadOutput(out bool malformed);
                if (malformed)
                {
                    MalformedOutputs++;
                }
            }
        }
    }

    /// <summary>
    /// Stops the plugin (LV2 deactivate) once every worker request still owed is done and answered; <see cref="Activate"/>
    /// may follow. Control thread, or the render thread between runs (a module's reset).
    /// </summary>
    public void Deactivate()
    {
        if (active && instance != IntPtr.Zero)
        {
            worker.Settle();
            descriptor.Deactivate();
            active = false;
        }
    }

    /// <summary>Deactivates, frees the instance (its cleanup) and then its features. Control thread, never during a Run.</summary>
    public void Dispose()
    {
        if (instance == IntPtr.Zero)
        {
            return;
        }
        Deactivate();
        worker.Dispose(); // before the instance: the work thread must never call into a freed plugin
        LilvNative.InstanceFree(instance); // do NOT reorder: the plugin may use its features until its cleanup
        instance = IntPtr.Zero;
        features.Dispose();
        owner.Release();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowCannotRun(int frames)
    {
        ObjectDisposedException.ThrowIf(instance == IntPtr.Zero, this);
        if (!active)
        {
            throw new InvalidOperationException($"{Info.Uri}: Run before Activate");
        }
        throw new ArgumentOutOfRangeException(nameof(frames), frames, $"must be 0..{MaxBlockLength}");
    }
}
