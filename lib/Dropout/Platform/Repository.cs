namespace Dropout.Platform;

/// <summary>The repository this code runs from: the folder holding <see cref="SolutionFile"/>.</summary>
public static class Repository
{
    /// <summary>The file that marks the repository's root folder.</summary>
    public const string SolutionFile = "Dropout.Notebooks.sln";

    /// <summary>The nearest folder at or above <paramref name="start"/> holding <see cref="SolutionFile"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        if (string.IsNullOrEmpty(start)) return null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
        return null;
    }

    /// <summary>
    /// The repository root found from the current directory, then from the application's folder, then from this
    /// library's folder (a notebook's kernel runs elsewhere but loads the library from the repository); null outside it.
    /// </summary>
    public static string? LocateRoot() =>
        new[] { Environment.CurrentDirectory, AppContext.BaseDirectory, Path.GetDirectoryName(typeof(Repository).Assembly.Location) ?? "" }
            .Select(FindRoot).FirstOrDefault(root => root is not null);
}
