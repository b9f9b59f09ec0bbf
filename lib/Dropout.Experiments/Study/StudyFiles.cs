using Dropout.Platform;

namespace Dropout.Experiments.Study;

/// <summary>Where study results live by default, found from the repository root (the folder holding Dropout.Notebooks.sln).</summary>
public static class StudyFiles
{
    /// <summary><c>artifacts/study/results.csv</c>: what <c>study</c> writes by default and notebook 04 reads.</summary>
    public static string DefaultResultsPath => Path.Combine(RepositoryRoot, "artifacts", "study", "results.csv");

    /// <summary><c>artifacts/study/grid.csv</c>: where notebook 04 looks for a grid study (<c>study --grid ... --out artifacts/study/grid.csv</c>).</summary>
    public static string DefaultGridResultsPath => Path.Combine(RepositoryRoot, "artifacts", "study", "grid.csv");

    /// <summary>The repository root (<see cref="Repository.LocateRoot"/>); else the current directory.</summary>
    static string RepositoryRoot => Repository.LocateRoot() ?? Environment.CurrentDirectory;
}
