using System.CommandLine;
using System.Globalization;
using Dropout.Experiments.Platform;
using Dropout.Notebooks.Runner.Documents;
using Dropout.Notebooks.Runner.Execution;
using Dropout.Platform;

namespace Dropout.Cli.Commands;

/// <summary>
/// <c>notebooks [PATHS...]</c>: runs the Polyglot notebooks headlessly, each in a fresh .NET Interactive kernel in its own
/// process (<see cref="NotebookKernelCommand"/>), writing each one's executed .ipynb and an offline .html.
/// </summary>
internal static class NotebooksCommand
{
    /// <summary>The longest <c>--cell-timeout</c>, in seconds: a week (a kernel command's timer holds at most 49 days).</summary>
    public const double MaxCellTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>The shortest <c>--cell-timeout</c>, in seconds: a millisecond, the timer's resolution.</summary>
    public const double MinCellTimeoutSeconds = 0.001;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Notebooks to run (.ipynb). Default: every notebooks/*.ipynb of the repository, in name order.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out")
        {
            Description = "Folder for the executed .ipynb and .html files. Default: artifacts/notebooks/ in the repository.",
        };
        var quick = new Option<bool>("--quick")
        {
            Description = "Quick preset: sets the parameter 'quick' to true in each notebook that declares it (few epochs, small subsets).",
        };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "Overrides a parameter of the cell tagged 'parameters': -p name=value (repeatable).",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var cellTimeout = new Option<double?>("--cell-timeout")
        {
            Description = $"Stops a notebook whose cell runs longer than this many seconds (the kernel command is cancelled; at most {MaxCellTimeoutSeconds:N0}, a week). Default: no limit.",
        };
        var inPlace = new Option<bool>("--inplace")
        {
            Description = "Also overwrite each source notebook with its executed copy.",
        };

        var command = new Command("notebooks", "Runs the C# notebooks headlessly in the .NET Interactive kernel; writes executed .ipynb and offline .html files.");
        command.Arguments.Add(paths);
        command.Options.Add(output);
        command.Options.Add(quick);
        command.Options.Add(parameters);
        command.Options.Add(cellTimeout);
        command.Options.Add(inPlace);
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            string[] notebooks = result.GetValue(paths) ?? [];
            string? repository = Repository.FindRoot(Directory.GetCurrentDirectory());
            if (notebooks.Length == 0)
            {
                if (repository is null)
                    throw new UserError($"no notebooks given and no {Repository.SolutionFile} found above {Directory.GetCurrentDirectory()}; pass the .ipynb files to run.");
                string folder = Path.Combine(repository, "notebooks");
                notebooks = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray() : [];
                if (notebooks.Length == 0)
                    throw new UserError($"{folder} holds no .ipynb notebooks.");
            }
            foreach (string notebook in notebooks) CheckNotebook(notebook);
            double? timeoutSeconds = result.GetValue(cellTimeout);
            if (timeoutSeconds is double t && !(t >= MinCellTimeoutSeconds && t <= MaxCellTimeoutSeconds))
                throw new UserError($"--cell-timeout must be between {MinCellTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} and {MaxCellTimeoutSeconds:N0} seconds (a week); " +
                    $"got {t.ToString("R", CultureInfo.InvariantCulture)}.");
            string? outOption = result.GetValue(output);
            string outputDirectory = outOption ?? Path.Combine(repository ?? Directory.GetCurrentDirectory(), "artifacts", "notebooks");
            // Everything the run will write is checked before a kernel starts: the folder, and the two files per notebook in it.
            OutputPaths.CheckFolder("--out", outOption ?? outputDirectory,
                notebooks.SelectMany(n => new[] { Path.GetFileName(n), Path.ChangeExtension(Path.GetFileName(n), ".html") }));
            bool writeInPlace = result.GetValue(inPlace);
            if (writeInPlace)
                foreach (string notebook in notebooks) OutputPaths.CheckFile("--inplace", notebook, "notebooks/01-dropout-from-scratch.ipynb");

            var options = new NotebookRunOptions
            {
                Notebooks = notebooks.Select(Path.GetFullPath).ToList(),
                OutputDirectory = Path.GetFullPath(outputDirectory),
                Quick = result.GetValue(quick),
                Parameters = (result.GetValue(parameters) ?? []).Select(ParseParameter).ToList(),
                CellTimeout = timeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
                InPlace = writeInPlace,
            };

            NotebookRunResult run;
            try
            {
                run = await NotebookRunner.RunAsync(options, KernelProcess.DotnetApp(typeof(NotebooksCommand).Assembly.Location, NotebookKernelCommand.Name), cancellationToken);
            }
            catch (ParameterException e)
            {
                throw new UserError(e.Message);
            }
            PrintSummary(run, options.OutputDirectory);
            if (run.Interrupted) throw new OperationCanceledException();
            return run.Succeeded ? 0 : 1;
        });
        return command;
    }

    /// <summary>A notebook to run must be a regular file; anything else is refused before anything waits on it.</summary>
    static void CheckNotebook(string path)
    {
        var kind = FileNode.Kind(path);
        if (kind == FileKind.Missing) throw new UserError($"Notebook not found: {Path.GetFullPath(path)}");
        if (kind == FileKind.Directory)
            throw new UserError($"{path} is a folder; give the notebooks in it (e.g. {Path.Combine(path, "*.ipynb")}), or no path for the repository's notebooks.");
        if (kind != FileKind.Regular) throw new UserError($"{path} is {FileNode.Describe(kind)}, not a notebook file (.ipynb).");
    }

    static KeyValuePair<string, string> ParseParameter(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0)
            throw new UserError($"-p {text}: write a parameter override as name=value, e.g. -p epochs=3.");
        return new(text[..eq].Trim(), text[(eq + 1)..]);
    }

    static void PrintSummary(NotebookRunResult run, string outputDirectory)
    {
        Console.WriteLine();
        Console.WriteLine($"{"notebook",-40} {"status",-12} {"cells",7} {"seconds",8}");
        foreach (var n in run.Notebooks)
            Console.WriteLine($"{Path.GetFileName(n.Notebook),-40} {n.Status,-12} {$"{n.CellsRun}/{n.CellCount}",7} {n.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),8}");
        Console.WriteLine($"outputs: {outputDirectory}");
        foreach (var n in run.Notebooks.Where(n => n.Failure is not null))
            Console.Error.WriteLine($"error: {n.Failure}");
    }
}
