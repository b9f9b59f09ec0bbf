using System.Text;

namespace Dropout.Notebooks.Engine;

/// <summary>
/// Captures console output per cell. Installs, once per process, writers in front of
/// <see cref="Console.Out"/> and <see cref="Console.Error"/> that send text to the sink of the cell
/// running on the current logical call context, and to the original console otherwise, so engines
/// running side by side (tests) and the engine's own progress lines never mix.
/// </summary>
static class ConsoleCapture
{
    static readonly object Gate = new();
    static bool _installed;

    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed) return;
            Console.SetOut(new RoutingWriter("stdout", Console.Out));
            Console.SetError(new RoutingWriter("stderr", Console.Error));
            _installed = true;
        }
    }

    sealed class RoutingWriter(string stream, TextWriter fallback) : TextWriter
    {
        public override Encoding Encoding => fallback.Encoding;

        public override void Write(char value)
        {
            if (CellOutputSink.Current.Value is { } sink) sink.Write(stream, value.ToString());
            else fallback.Write(value);
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            if (CellOutputSink.Current.Value is { } sink) sink.Write(stream, value);
            else fallback.Write(value);
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Flush()
        {
            if (CellOutputSink.Current.Value is null) fallback.Flush();
        }
    }
}
