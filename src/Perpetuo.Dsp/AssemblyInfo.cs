using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Perpetuo.Dsp.Tests")]
