using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Dropout.Experiments.Study;
using Dropout.Study;
using Dropout.Training;

namespace Dropout.Cli;

/// <summary>
/// Runs the command line with the project's error policy:
/// <list type="bullet">
/// <item>a user mistake, the parser's or a command's (<see cref="UserError"/>, a bad argument, bad data, a diverged run),
/// prints one <c>error: ...</c> line and a <c>--help</c> hint on stderr and exits 2;</item>
/// <item>any other failure prints its message (the stack trace only with <c>DROPOUT_TRACE=1</c>) and exits 1;</item>
/// <item>SIGINT (Ctrl+C) or SIGTERM cancels the commands' token; they stop at the next safe point (the end of the training
/// step), say what they kept and how to resume, and the process exits 130 or 143. A second signal of the same kind stops
/// the process at once.</item>
/// </list>
/// </summary>
internal partial class CliRunner
{
    /// <summary>Exit code of a usage error.</summary>
    public const int UsageErrorExitCode = 2;
    /// <summary>Exit code after SIGINT (128 + 2), as shells report a process stopped by Ctrl+C.</summary>
    public const int SigintExitCode = 130;
    /// <summary>Exit code after SIGTERM (128 + 15).</summary>
    public const int SigtermExitCode = 143;

    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>.</summary>
    /// <param name="cancellationToken">Another way to interrupt (tests, hosts); it counts as SIGINT.</param>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, CancellationToken cancellationToken = default)
    {
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction || parse.Errors.Count > 0)
            return UsageError(UsageErrorMessage(parse), HelpHint(parse));

        using var interruption = new Interruption(cancellationToken);
        try
        {
            // System.CommandLine's signal handling is off (ProcessTerminationTimeout = null): it registers its handlers
            // only after a synchronous action has run, so Ctrl+C killed training mid-epoch; Interruption registers first.
            int exit = await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            }, interruption.Token);
            return exit;
        }
        catch (OperationCanceledException e) when (interruption.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine(e is CommandInterruptedException ? e.Message : "Interrupted; work finished before the interruption was kept.");
            return ExitCodeFor(interruption.Signal ?? PosixSignal.SIGINT);
        }
        catch (Exception e) when (e is UserError or ArgumentException or InvalidDataException or FileNotFoundException
                                      or DirectoryNotFoundException or TrainingDivergedException or D2lAssertionException
                                      or StudyFileBusyException)
        {
            return UsageError(MessageOf(e), HelpHint(parse));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("DROPOUT_TRACE") == "1") Console.Error.WriteLine(e);
            else Console.Error.WriteLine("(set DROPOUT_TRACE=1 to see where it happened)");
            return 1;
        }
    }

    /// <summary>An exception's message for users: without .NET's "(Parameter 'x')" and "Actual value was y." additions.</summary>
    public static string MessageOf(Exception e) =>
        e is ArgumentException ? ArgumentDetails().Replace(e.Message, "") : e.Message;

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)|\s*Actual value was [^\r\n]*")]
    private static partial Regex ArgumentDetails();

    static int ExitCodeFor(PosixSignal signal) => signal == PosixSignal.SIGTERM ? SigtermExitCode : SigintExitCode;

    static int UsageError(string message, string hint)
    {
        Console.Error.WriteLine($"error: {OneLine(message)}");
        Console.Error.WriteLine(hint);
        return UsageErrorExitCode;
    }

    /// <summary>"run 'Dropout.Cli study --help' for usage": the command the user was running, with --help.</summary>
    static string HelpHint(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command is RootCommand ? RootCommand.ExecutableName : result.Command.Name);
        return $"run '{string.Join(" ", names)} --help' for usage";
    }

    /// <summary>The parser's complaints as one sentence, with .NET type names in words.</summary>
    static string UsageErrorMessage(ParseResult parse)
    {
        if (parse.Errors.Count == 0) return "the command line could not be understood.";
        var messages = parse.Errors.Select(e => Describe(e, parse)).Distinct().ToList();
        // A word where a command was expected: one message naming it and the choices, not two side by side.
        var command = parse.CommandResult.Command;
        if (command.Subcommands.Count > 0 && command.Subcommands.Any(c => !c.Hidden)
            && messages.FirstOrDefault(m => m.StartsWith("Unrecognized command or argument '", StringComparison.Ordinal)) is { } unknown
            && messages.Any(m => m.StartsWith("which command?", StringComparison.Ordinal)))
            messages = [$"unknown command {unknown["Unrecognized command or argument ".Length..].TrimEnd('.')}; choose one of {CommandChoices(command)}"];
        string text = string.Join("; ", messages.Select(m => m.TrimEnd('.'))) + ".";
        foreach (var (type, words) in TypeWords) text = text.Replace($"'{type}'", words, StringComparison.Ordinal);
        return text;
    }

    static readonly (string Type, string Words)[] TypeWords =
    [
        ("System.Int32", "a whole number"), ("System.Int64", "a whole number"), ("System.Double", "a number"),
        ("System.Nullable`1[System.Int32]", "a whole number"), ("System.Nullable`1[System.Int64]", "a whole number"),
        ("System.Nullable`1[System.Double]", "a number"), ("System.Boolean", "true or false"),
    ];

    /// <summary>One parse error, prefixed with its option when the parser's text does not name it.</summary>
    static string Describe(System.CommandLine.Parsing.ParseError error, ParseResult parse)
    {
        string message = OneLine(error.Message);
        var command = parse.CommandResult.Command;
        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal) && command.Subcommands.Count > 0)
            return $"which command? one of {CommandChoices(command)}.";
        string? option = error.SymbolResult switch
        {
            System.CommandLine.Parsing.OptionResult o => o.Option.Name,
            System.CommandLine.Parsing.ArgumentResult { Parent: System.CommandLine.Parsing.OptionResult o } => o.Option.Name,
            _ => null,
        };
        return option is not null && !message.Contains(option, StringComparison.Ordinal) ? $"{option}: {message}" : message;
    }

    static string CommandChoices(Command command) => string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));

    /// <summary>Folds a message onto one line (the parser lists choices on separate, tab-indented lines).</summary>
    static string OneLine(string text) => Whitespace().Replace(text.Trim(), " ");

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex Whitespace();

    /// <summary>SIGINT and SIGTERM, registered for the whole invocation: the first cancels <see cref="Token"/>.</summary>
    sealed class Interruption : IDisposable
    {
        readonly CancellationTokenSource _source;
        readonly List<PosixSignalRegistration> _registrations = [];
        int _sigints, _sigterms;

        public Interruption(CancellationToken outer)
        {
            _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
                _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // no signals here (browser, mobile): only the outer token interrupts
            }
        }

        public CancellationToken Token => _source.Token;

        /// <summary>The first signal received, or null.</summary>
        public PosixSignal? Signal { get; private set; }

        void OnSignal(PosixSignalContext context)
        {
            int count = context.Signal == PosixSignal.SIGTERM ? Interlocked.Increment(ref _sigterms) : Interlocked.Increment(ref _sigints);
            if (count > 1) return; // context.Cancel stays false: the default action ends the process now
            context.Cancel = true;
            Signal ??= context.Signal;
            if (context.Signal == PosixSignal.SIGINT && !Console.IsErrorRedirected)
                Console.Error.WriteLine("stopping at the end of the current training step (Ctrl+C again to stop at once)...");
            _source.Cancel();
        }

        public void Dispose()
        {
            foreach (var registration in _registrations) registration.Dispose();
            _source.Dispose();
        }
    }
}
