namespace Perpetuo.Control.Journal;

/// <summary>
/// A plugin a session played, as its journal records it (a <c>{"kind":"plugin",...}</c> line, before the first
/// command that uses it): <c>render --journal</c> refuses to render the session with a plugin that is not this one.
/// </summary>
/// <param name="Uri">The plugin's URI.</param>
/// <param name="Version">lv2:minorVersion.microVersion from its data ("" when it gives none).</param>
/// <param name="Library">SHA-256 of its shared library file, in hex: a rebuilt or updated plugin differs here
/// even when its data claims the same version.</param>
public sealed record JournalPlugin(string Uri, string Version, string Library);
