namespace Dropout.Data;

/// <summary>Where <c>FashionMnist.Load</c> looks for the data and downloads it from; tests build their own.</summary>
/// <param name="RequiredDirectory">The argument or <c>FASHION_MNIST_DIR</c>; when set, the only place looked.</param>
/// <param name="RequiredBy">Who asked for <paramref name="RequiredDirectory"/>, for the error message.</param>
/// <param name="RepoDirectory">The repository's <c>data/fashion-mnist/</c>: looked in first, and where downloads go.</param>
/// <param name="DownloadBaseUrl">A folder URL holding the four .gz files.</param>
/// <param name="Sha256">The expected sha256 of each .gz file, by file name.</param>
internal sealed record FashionMnistSources(
    string? RequiredDirectory,
    string? RequiredBy,
    string RepoDirectory,
    string SystemDirectory,
    Uri DownloadBaseUrl,
    IReadOnlyDictionary<string, string> Sha256)
{
    /// <summary>The environment variable naming a folder that holds the four files.</summary>
    internal const string DirectoryVariable = "FASHION_MNIST_DIR";

    /// <summary>The environment variable overriding the download URL (a folder holding the four .gz files).</summary>
    internal const string UrlVariable = "FASHION_MNIST_URL";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    internal const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The sources for the public <c>Load</c>: <paramref name="directory"/>, else <c>FASHION_MNIST_DIR</c>; the
    /// repository's folder; Debian's; Zalando (or <c>FASHION_MNIST_URL</c>).</summary>
    internal static FashionMnistSources Resolve(string? directory, Func<string, string?> environment, string repoDirectory)
    {
        string? fromEnvironment = environment(DirectoryVariable);
        string? required = !string.IsNullOrWhiteSpace(directory) ? directory
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment
            : null;
        string? requiredBy = required is null ? null
            : !string.IsNullOrWhiteSpace(directory) ? "the directory argument"
            : DirectoryVariable;
        string url = environment(UrlVariable) is { Length: > 0 } custom ? custom : FashionMnistDownload.ZalandoBaseUrl;
        return new FashionMnistSources(
            required is null ? null : Path.GetFullPath(required),
            requiredBy,
            repoDirectory,
            DebianDirectory,
            AsFolderUrl(url),
            FashionMnistDownload.ZalandoSha256);
    }

    /// <summary>Parses <paramref name="url"/> as a folder (with a trailing slash, so file names append to it).</summary>
    internal static Uri AsFolderUrl(string url)
    {
        string folder = url.EndsWith('/') ? url : url + "/";
        if (!Uri.TryCreate(folder, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InvalidDataException($"The Fashion-MNIST download URL '{url}' (from {UrlVariable}) is not an http(s) URL; fix or unset {UrlVariable}.");
        return uri;
    }
}
