using System.Diagnostics;
using Dropout.Platform;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Data;

/// <summary>Fashion-MNIST as d2l's <c>load_data_fashion_mnist</c> hands it to training: images <c>[N, 1, 28, 28]</c>
/// float32 in [0, 1] (byte / 255, torchvision's <c>ToTensor</c>), labels int64. Looked for in the <c>directory</c>
/// argument, else <c>FASHION_MNIST_DIR</c> (when given, the only place); else the repository's
/// <c>data/fashion-mnist/</c>, then Debian's <c>/usr/share/datasets/fashion-mnist/</c> (package
/// <c>dataset-fashion-mnist</c>); else Zalando's files are downloaded into <c>data/fashion-mnist/</c>, each
/// sha256-checked. Files may be gzipped or not.</summary>
public static class FashionMnist
{
    const int Side = 28;

    /// <summary>The four IDX files, without the optional <c>.gz</c>.</summary>
    internal static readonly IReadOnlyList<string> FileNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    static readonly string[] Names =
        ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"];

    /// <summary>d2l's text labels of the ten classes, indexed by label: "t-shirt", "trouser", ..., "ankle boot".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(Names);

    /// <summary>The text label of one class, as d2l's <c>get_fashion_mnist_labels</c> gives it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not in 0..9.</exception>
    public static string TextLabel(long label) =>
        label is >= 0 and < 10
            ? Names[label]
            : throw new ArgumentOutOfRangeException(nameof(label), label, "Fashion-MNIST labels are 0..9.");

    /// <summary><c>data/fashion-mnist</c> in the repository (the nearest folder holding <c>Dropout.Notebooks.sln</c> above
    /// the current directory, else above this assembly); else <c>./data/fashion-mnist</c>.</summary>
    public static string DefaultDataDirectory =>
        Repository.LocateRoot() is string root ? Path.Combine(root, "data", "fashion-mnist") : Path.GetFullPath(Path.Combine("data", "fashion-mnist"));

    /// <summary>Loads both splits, from where the class summary says.</summary>
    /// <param name="directory">When given, the only place looked (overrides <c>FASHION_MNIST_DIR</c>).</param>
    /// <param name="trainLimit">Keep the first N training samples; null keeps all 60,000.</param>
    /// <param name="testLimit">Keep the first N test samples; null keeps all 10,000.</param>
    /// <param name="progress">One line per step: the source, downloads, the time taken.</param>
    /// <param name="cancellationToken">Observed between files and during a download (which then keeps nothing).</param>
    /// <exception cref="FileNotFoundException">The data is nowhere to be found and cannot be downloaded; the message says how to get it.</exception>
    /// <exception cref="InvalidDataException">A file is truncated, corrupt or not what its name says; the message names it.</exception>
    public static FashionMnistData Load(string? directory = null, int? trainLimit = null, int? testLimit = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        Load(FashionMnistSources.Resolve(directory, Environment.GetEnvironmentVariable, DefaultDataDirectory),
            trainLimit, testLimit, progress, cancellationToken);

    /// <summary>Loads both splits from the places <paramref name="sources"/> names.</summary>
    internal static FashionMnistData Load(FashionMnistSources sources, int? trainLimit, int? testLimit,
        IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (trainLimit < 1) throw new ArgumentOutOfRangeException(nameof(trainLimit), trainLimit, "A limit keeps the first N samples; N must be at least 1.");
        if (testLimit < 1) throw new ArgumentOutOfRangeException(nameof(testLimit), testLimit, "A limit keeps the first N samples; N must be at least 1.");

        string directory = Locate(sources, progress, cancellationToken);
        var clock = Stopwatch.StartNew();
        progress?.Report($"Reading Fashion-MNIST from {directory}");
        string[] paths = FileNames.Select(name => FindFile(directory, name)
            ?? throw new FileNotFoundException($"Fashion-MNIST: {name}(.gz) disappeared from {directory} while loading.")).ToArray();

        // Decompression dominates: a thread per split. If both fail, the training split's error wins, whatever the timing.
        Task<RawSplit>[] reads =
        [
            Task.Run(() => ReadSplit(paths[0], paths[1], cancellationToken)),
            Task.Run(() => ReadSplit(paths[2], paths[3], cancellationToken)),
        ];
        try { Task.WaitAll(reads); }
        catch (AggregateException) { /* rethrown below, unwrapped, in file order */ }
        var train = reads[0].GetAwaiter().GetResult();
        var test = reads[1].GetAwaiter().GetResult();
        cancellationToken.ThrowIfCancellationRequested();

        FashionMnistSplit? trainSplit = null;
        try
        {
            trainSplit = ToSplit(train, trainLimit);
            var data = new FashionMnistData(trainSplit, ToSplit(test, testLimit), directory);
            progress?.Report($"Loaded {data.Train.Count:N0} training and {data.Test.Count:N0} test images in {clock.Elapsed.TotalSeconds:F2} s.");
            return data;
        }
        catch
        {
            trainSplit?.Dispose();
            throw;
        }
    }

    /// <summary>The folder to read: the required one, the repository's, Debian's, or the repository's after a download.</summary>
    static string Locate(FashionMnistSources sources, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (sources.RequiredDirectory is { } required)
        {
            var missing = MissingFiles(required);
            if (missing.Count == 0) return required;
            string what = Directory.Exists(required)
                ? $"lacks {string.Join(", ", missing.Select(n => n + "(.gz)"))}"
                : "does not exist";
            string instead = sources.RequiredBy == FashionMnistSources.DirectoryVariable
                ? $"or unset {FashionMnistSources.DirectoryVariable} to use the repository's data/fashion-mnist/, the Debian package or the download"
                : "or pass no directory to use the repository's data/fashion-mnist/, the Debian package or the download";
            throw new FileNotFoundException(
                $"Fashion-MNIST: {required} (from {sources.RequiredBy}) {what}. Put the four files {AllFileNames} there (.gz or uncompressed), {instead}.");
        }

        foreach (string candidate in new[] { sources.RepoDirectory, sources.SystemDirectory })
            if (MissingFiles(candidate).Count == 0) return candidate;

        var toDownload = MissingFiles(sources.RepoDirectory).Select(name => name + ".gz").ToList();
        progress?.Report($"Fashion-MNIST is neither in {sources.RepoDirectory} nor in {sources.SystemDirectory}; downloading it from {sources.DownloadBaseUrl}");
        try
        {
            FashionMnistDownload.Run(toDownload, sources.RepoDirectory, sources.DownloadBaseUrl, sources.Sha256, progress, cancellationToken);
        }
        catch (FashionMnistDownload.UnreachableException e)
        {
            throw new FileNotFoundException(NoDataMessage(sources, e.Message), e);
        }
        return sources.RepoDirectory;
    }

    static string AllFileNames => string.Join(", ", FileNames);

    /// <summary>The one message for "no data here and no way to download it": the three ways to get it.</summary>
    static string NoDataMessage(FashionMnistSources sources, string reason) =>
        $"Fashion-MNIST is not on this machine (looked in {sources.RepoDirectory} and {sources.SystemDirectory}) " +
        $"and the download failed: {reason}.{Environment.NewLine}" +
        $"Get it one of three ways:{Environment.NewLine}" +
        $"  1. sudo apt-get install dataset-fashion-mnist   (installs the files in {FashionMnistSources.DebianDirectory}/){Environment.NewLine}" +
        $"  2. put the four files ({AllFileNames}; .gz or uncompressed) in {sources.RepoDirectory}/, " +
        $"or point {FashionMnistSources.DirectoryVariable} at a folder holding them{Environment.NewLine}" +
        $"  3. allow the download from Zalando ({sources.DownloadBaseUrl}): it needs internet access, " +
        $"and the files are checked against their sha256 and saved in {sources.RepoDirectory}/";

    static List<string> MissingFiles(string directory) =>
        FileNames.Where(name => FindFile(directory, name) is null).ToList();

    /// <summary>The file <paramref name="name"/>.gz or, failing that, <paramref name="name"/> in <paramref name="directory"/>.</summary>
    static string? FindFile(string directory, string name)
    {
        string gz = Path.Combine(directory, name + ".gz");
        if (File.Exists(gz)) return gz;
        string raw = Path.Combine(directory, name);
        return File.Exists(raw) ? raw : null;
    }

    /// <summary>The bytes of one split, checked: images are 28x28, labels as many as images and in 0..9.</summary>
    sealed record RawSplit(byte[] Pixels, byte[] Labels, int Count);

    static RawSplit ReadSplit(string imagesPath, string labelsPath, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var images = IdxFile.Read(imagesPath, IdxFile.ImagesMagic);
        if (images.Dimensions[1] != Side || images.Dimensions[2] != Side)
            throw IdxFile.Problem(imagesPath, $"holds images of {images.Dimensions[1]}x{images.Dimensions[2]} pixels, expected {Side}x{Side}");
        int count = images.Dimensions[0];

        cancellationToken.ThrowIfCancellationRequested();
        var labels = IdxFile.Read(labelsPath, IdxFile.LabelsMagic);
        if (labels.Dimensions[0] != count)
            throw IdxFile.Problem(labelsPath, $"holds {labels.Dimensions[0]:N0} labels but {imagesPath} holds {count:N0} images; they must match");
        int bad = labels.Data.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)9);
        if (bad >= 0)
            throw IdxFile.Problem(labelsPath, $"holds label {labels.Data[bad]} at position {bad:N0}; Fashion-MNIST labels are 0..9");
        return new RawSplit(images.Data, labels.Data, count);
    }

    /// <summary>The first <paramref name="limit"/> samples as tensors: [N,1,28,28] float32 / 255, labels int64.</summary>
    static FashionMnistSplit ToSplit(RawSplit raw, int? limit)
    {
        long keep = Math.Min(limit ?? raw.Count, raw.Count);
        using var scope = NewDisposeScope();
        using var pixels = SharedBytes(raw.Pixels, keep * Side * Side);
        using var labels = SharedBytes(raw.Labels, keep);
        var images = pixels.view(keep, 1, Side, Side).to(ScalarType.Float32).div_(255f);
        var classes = labels.to(ScalarType.Int64);
        return new FashionMnistSplit(images.DetachFromDisposeScope(), classes.DetachFromDisposeScope());
    }

    /// <summary>A uint8 tensor over the first <paramref name="count"/> bytes of <paramref name="data"/>, sharing its memory (no copy).</summary>
    static Tensor SharedBytes(byte[] data, long count) =>
        count == 0 ? empty(0, ScalarType.Byte) : frombuffer(data, ScalarType.Byte, count);
}
