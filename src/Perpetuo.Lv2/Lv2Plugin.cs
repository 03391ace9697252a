using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Perpetuo.Lv2.Native;

namespace Perpetuo.Lv2;

/// <summary>
/// One instance of an LV2 plugin with every port connected to a buffer the host owns: an audio port to a pinned
/// float array of <see cref="MaxBlockLength"/> frames, a control port (input or output) to a pinned float, an
/// optional port of another type to NULL. Made by <see cref="Lv2Catalog.Instantiate"/>.
/// </summary>
/// <remarks>
/// Design: the buffers never move (pinned arrays from GC.AllocateArray) and are connected once, so a block is
/// "write the inputs, <see cref="Run"/>, read the outputs" with no connect_port and no marshalling: Run is one call
/// through a delegate bound at instantiation to the descriptor's run function. Inputs and outputs never share a
/// buffer (the lv2:inPlaceBroken promise). Threads: construction, <see cref="Activate"/>, <see cref="Deactivate"/>
/// and <see cref="Dispose"/> on the control thread, never during a Run; <see cref="Run"/> and the buffer and control
/// accessors on the worker's render thread only.
/// </remarks>
public sealed class Lv2Plugin : IDisposable
{
    private readonly Lv2Catalog owner;
    private readonly Lv2Features features;
    private readonly Lv2Descriptor descriptor;
    private readonly float[][] audioInputs;
    private readonly float[][] audioOutputs;
    private readonly float[] controls; // one float per port index; only control ports' entries are connected
    private readonly int[] controlOutputPorts;
    private IntPtr instance;
    private bool active;

    internal Lv2Plugin(Lv2Catalog owner, Lv2PluginInfo info, IntPtr instance, Lv2Features features, double sampleRate, int maxBlockLength)
    {
        this.owner = owner;
        this.instance = instance;
        this.features = features;
        Info = info;
        SampleRate = sampleRate;
        MaxBlockLength = maxBlockLength;
        descriptor = new Lv2Descriptor(instance);
        controls = GC.AllocateArray<float>(Math.Max(1, info.Ports.Count), pinned: true);
        var ins = new List<float[]>();
        var outs = new List<float[]>();
        foreach (Lv2Port p in info.Ports)
        {
            IntPtr data = IntPtr.Zero;
            if (p.Type == Lv2PortType.Audio)
            {
                float[] buffer = GC.AllocateArray<float>(maxBlockLength, pinned: true);
                (p.IsInput ? ins : outs).Add(buffer);
                data = Marshal.UnsafeAddrOfPinnedArrayElement(buffer, 0);
            }
            else if (p.Type == Lv2PortType.Control)
            {
                data = Marshal.UnsafeAddrOfPinnedArrayElement(controls, p.Index);
            }
            // else: lv2:connectionOptional (Lv2Support.Decide refused the plugin otherwise), so NULL is allowed.
            descriptor.ConnectPort((uint)p.Index, data);
        }
        audioInputs = [.. ins];
        audioOutputs = [.. outs];
        controlOutputPorts = [.. info.Ports.Where(p => p.Type == Lv2PortType.Control && !p.IsInput).Select(p => p.Index)];
        foreach (Lv2ControlInput c in info.ControlInputs)
        {
            controls[c.PortIndex] = c.Default;
        }
    }

    /// <summary>What the catalog knows of the plugin: ports, control ranges, features.</summary>
    public Lv2PluginInfo Info { get; }

    public double SampleRate { get; }

    /// <summary>The most frames one <see cref="Run"/> takes, and the length of every audio buffer.</summary>
    public int MaxBlockLength { get; }

    public int AudioInputCount => audioInputs.Length;

    public int AudioOutputCount => audioOutputs.Length;

    public int ControlInputCount => Info.ControlInputs.Count;

    public int ControlOutputCount => controlOutputPorts.Length;

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
            descriptor.Run((uint)frames);
        }
    }

    /// <summary>Stops the plugin (LV2 deactivate); <see cref="Activate"/> may follow. Control thread.</summary>
    public void Deactivate()
    {
        if (active && instance != IntPtr.Zero)
        {
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
