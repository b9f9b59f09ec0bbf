using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Dropout.Data;
using Dropout.Native;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Dropout.Tests.Data;

public sealed class FashionMnistTests : IDisposable
{
    const string RealDataDirectory = "/usr/share/datasets/fashion-mnist";
    readonly ITestOutputHelper _output;
    readonly string _root = Path.Combine(Path.GetTempPath(), $"fashion-mnist-tests-{Guid.NewGuid():N}");

    public FashionMnistTests(ITestOutputHelper output)
    {
        TorchNative.Ensure();
        _output = output;
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string NewDirectory(string name)
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    // ---- Loading synthetic files --------------------------------------------------------------

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LoadsSyntheticFilesWithD2lShapesTypesAndValues(bool gzip)
    {
        string dir = NewDirectory("set");
        var set = SyntheticSet.Write(dir, trainCount: 7, testCount: 4, gzip);

        using var data = FashionMnist.Load(dir);

        Assert.Equal(dir, data.SourceDirectory);
        AssertSplit(set.Train, data.Train, 7);
        AssertSplit(set.Test, data.Test, 4);
    }

    [Fact]
    public void AcceptsAMixOfCompressedAndUncompressedFiles()
    {
        string dir = NewDirectory("mixed");
        var set = SyntheticSet.Write(dir, trainCount: 5, testCount: 3, gzip: true);
        string labels = Path.Combine(dir, "t10k-labels-idx1-ubyte");
        File.WriteAllBytes(labels, Decompress(File.ReadAllBytes(labels + ".gz")));
        File.Delete(labels + ".gz");

        using var data = FashionMnist.Load(dir);

        AssertSplit(set.Test, data.Test, 3);
    }

    [Fact]
    public void LimitsKeepTheFirstSamples()
    {
        string dir = NewDirectory("limits");
        var set = SyntheticSet.Write(dir, trainCount: 9, testCount: 6, gzip: true);

        using (var data = FashionMnist.Load(dir, trainLimit: 4, testLimit: 2))
        {
            AssertSplit(set.Train, data.Train, 4);
            AssertSplit(set.Test, data.Test, 2);
        }
        using (var data = FashionMnist.Load(dir, trainLimit: 100, testLimit: 6))
        {
            Assert.Equal(9, data.Train.Count);
            Assert.Equal(6, data.Test.Count);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Load(dir, trainLimit: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.Load(dir, testLimit: -1));
    }

    [Fact]
    public void TensorsOutliveTheCallersDisposeScopeAndDieWithTheData()
    {
        string dir = NewDirectory("scope");
        SyntheticSet.Write(dir, trainCount: 3, testCount: 2, gzip: true);

        FashionMnistData data;
        using (NewDisposeScope())
            data = FashionMnist.Load(dir);
        Assert.False(data.Train.Images.IsInvalid);
        Assert.Equal(3 * 28 * 28, data.Train.Images.numel());

        data.Dispose();
        Assert.True(data.Train.Images.IsInvalid);
        Assert.True(data.Train.Labels.IsInvalid);
        Assert.True(data.Test.Images.IsInvalid);
        Assert.True(data.Test.Labels.IsInvalid);
    }

    // ---- Bad files: one clear error naming the file --------------------------------------------

    [Fact]
    public void WrongMagicNumberNamesTheFile()
    {
        string dir = NewDirectory("magic");
        SyntheticSet.Write(dir, trainCount: 3, testCount: 2, gzip: true);
        string images = Path.Combine(dir, "train-images-idx3-ubyte.gz");
        File.Copy(Path.Combine(dir, "train-labels-idx1-ubyte.gz"), images, overwrite: true);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(images, e.Message);
        Assert.Contains("magic number 0x00000801 (a label file), expected 0x00000803 (an image file)", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TruncatedFileNamesTheFile(bool gzip)
    {
        string dir = NewDirectory("truncated");
        SyntheticSet.Write(dir, trainCount: 20, testCount: 2, gzip: false);
        string images = Path.Combine(dir, "train-images-idx3-ubyte");
        byte[] cut = File.ReadAllBytes(images)[..(16 + 28 * 28 * 12 + 5)];
        if (gzip)
        {
            File.Delete(images);
            images += ".gz";
            File.WriteAllBytes(images, Compress(cut));
        }
        else
        {
            File.WriteAllBytes(images, cut);
        }

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(images, e.Message);
        Assert.Contains("is truncated", e.Message);
    }

    [Fact]
    public void GzipCutShortNamesTheFile()
    {
        string dir = NewDirectory("cut-gzip");
        SyntheticSet.Write(dir, trainCount: 50, testCount: 2, gzip: true);
        string images = Path.Combine(dir, "train-images-idx3-ubyte.gz");
        byte[] gz = File.ReadAllBytes(images);
        File.WriteAllBytes(images, gz[..(gz.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(images, e.Message);
        Assert.Matches("is truncated|is not a valid gzip file", e.Message);
    }

    [Fact]
    public void CorruptGzipNamesTheFile()
    {
        string dir = NewDirectory("corrupt");
        SyntheticSet.Write(dir, trainCount: 50, testCount: 2, gzip: true);
        string labels = Path.Combine(dir, "train-labels-idx1-ubyte.gz");
        byte[] gz = File.ReadAllBytes(labels);
        gz[^6] ^= 0xFF; // inside the CRC-32 trailer: the data inflates but fails its check
        File.WriteAllBytes(labels, gz);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(labels, e.Message);
        Assert.Contains("is not a valid gzip file", e.Message);
    }

    [Fact]
    public void GarbageAfterTheGzipMagicNamesTheFile()
    {
        string dir = NewDirectory("garbage");
        SyntheticSet.Write(dir, trainCount: 3, testCount: 2, gzip: true);
        string images = Path.Combine(dir, "t10k-images-idx3-ubyte.gz");
        File.WriteAllBytes(images, [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(images, e.Message);
    }

    [Fact]
    public void MismatchedCountsNameTheLabelFile()
    {
        string dir = NewDirectory("counts");
        SyntheticSet.Write(dir, trainCount: 6, testCount: 2, gzip: false);
        string labels = Path.Combine(dir, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, SyntheticSet.LabelFile(SyntheticSet.Labels(5)));

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(labels, e.Message);
        Assert.Contains("holds 5 labels but", e.Message);
        Assert.Contains("holds 6 images", e.Message);
    }

    [Fact]
    public void LabelOutOfRangeNamesTheFileAndPosition()
    {
        string dir = NewDirectory("label-range");
        SyntheticSet.Write(dir, trainCount: 6, testCount: 2, gzip: false);
        string labels = Path.Combine(dir, "t10k-labels-idx1-ubyte");
        File.WriteAllBytes(labels, SyntheticSet.LabelFile([3, 10]));

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(labels, e.Message);
        Assert.Contains("label 10 at position 1", e.Message);
    }

    [Fact]
    public void WrongImageSizeNamesTheFile()
    {
        string dir = NewDirectory("size");
        SyntheticSet.Write(dir, trainCount: 2, testCount: 2, gzip: false);
        string images = Path.Combine(dir, "train-images-idx3-ubyte");
        File.WriteAllBytes(images, SyntheticSet.ImageFile(new byte[2 * 28 * 27], 2, 28, 27));

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(images, e.Message);
        Assert.Contains("28x27 pixels, expected 28x28", e.Message);
    }

    [Fact]
    public void TrailingBytesNameTheFile()
    {
        string dir = NewDirectory("trailing");
        SyntheticSet.Write(dir, trainCount: 2, testCount: 2, gzip: false);
        string labels = Path.Combine(dir, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, [.. File.ReadAllBytes(labels), 0]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(dir));

        Assert.Contains(labels, e.Message);
        Assert.Contains("more bytes than its header", e.Message);
    }

    // ---- Where it looks ------------------------------------------------------------------------

    [Fact]
    public void ExplicitDirectoryLackingFilesIsAnErrorNamingIt()
    {
        string dir = NewDirectory("partial");
        SyntheticSet.Write(dir, trainCount: 2, testCount: 2, gzip: true);
        File.Delete(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"));

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir));
        Assert.Contains($"{dir} (from the directory argument) lacks t10k-images-idx3-ubyte(.gz)", e.Message);
        Assert.DoesNotContain("train-images-idx3-ubyte(.gz)", e.Message);

        string absent = Path.Combine(_root, "absent");
        var e2 = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(absent));
        Assert.Contains($"{absent} (from the directory argument) does not exist", e2.Message);
    }

    [Fact]
    public void EnvironmentVariableIsUsedWhenNoDirectoryIsGivenAndTheArgumentWins()
    {
        string fromEnvironment = NewDirectory("env");
        string repo = NewDirectory("repo");
        Func<string, string?> environment = name => name == "FASHION_MNIST_DIR" ? fromEnvironment : null;

        var sources = FashionMnistSources.Resolve(null, environment, repo);
        Assert.Equal(fromEnvironment, sources.RequiredDirectory);
        Assert.Equal(new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"), sources.DownloadBaseUrl);
        Assert.Equal("/usr/share/datasets/fashion-mnist", sources.SystemDirectory);
        Assert.Equal(repo, sources.RepoDirectory);

        // An empty folder named by FASHION_MNIST_DIR is an error: no falling through to other places.
        SyntheticSet.Write(repo, trainCount: 2, testCount: 2, gzip: true);
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(sources, null, null, null, default));
        Assert.Contains($"{fromEnvironment} (from FASHION_MNIST_DIR) lacks", e.Message);
        Assert.Contains("unset FASHION_MNIST_DIR", e.Message);

        string argument = NewDirectory("argument");
        var overridden = FashionMnistSources.Resolve(argument, environment, repo);
        Assert.Equal(argument, overridden.RequiredDirectory);
        Assert.Equal("the directory argument", overridden.RequiredBy);

        var none = FashionMnistSources.Resolve(null, _ => null, repo);
        Assert.Null(none.RequiredDirectory);
    }

    [Fact]
    public void DownloadUrlCanBeOverriddenAndMustBeHttp()
    {
        var sources = FashionMnistSources.Resolve(null, name => name == "FASHION_MNIST_URL" ? "http://127.0.0.1:8080/mirror" : null, _root);
        Assert.Equal(new Uri("http://127.0.0.1:8080/mirror/"), sources.DownloadBaseUrl);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnistSources.Resolve(null, name => name == "FASHION_MNIST_URL" ? "ftp://example/" : null, _root));
        Assert.Contains("FASHION_MNIST_URL", e.Message);
    }

    [Fact]
    public void LooksInTheRepositoryFolderFirstThenTheDebianFolder()
    {
        string repo = NewDirectory("repo");
        string system = NewDirectory("system");
        SyntheticSet.Write(system, trainCount: 3, testCount: 2, gzip: true);
        var sources = Sources(repo, system, new Uri("http://127.0.0.1:9/"));

        using (var data = FashionMnist.Load(sources, null, null, null, default))
            Assert.Equal(system, data.SourceDirectory);

        SyntheticSet.Write(repo, trainCount: 4, testCount: 2, gzip: false);
        using (var data = FashionMnist.Load(sources, null, null, null, default))
        {
            Assert.Equal(repo, data.SourceDirectory);
            Assert.Equal(4, data.Train.Count);
        }
    }

    [Fact]
    public void DefaultDataDirectoryIsTheRepositorysDataFolder()
    {
        string dir = FashionMnist.DefaultDataDirectory;
        Assert.Equal("fashion-mnist", Path.GetFileName(dir));
        string repo = Path.GetDirectoryName(Path.GetDirectoryName(dir))!;
        Assert.True(File.Exists(Path.Combine(repo, "Dropout.Notebooks.sln")), $"{repo} should hold Dropout.Notebooks.sln");
    }

    // ---- No data, offline: the one message -----------------------------------------------------

    [Fact]
    public void OfflineWithoutDataNamesTheThreeWaysToGetIt()
    {
        string repo = Path.Combine(_root, "repo-data"); // does not exist yet: the download would create it
        string system = NewDirectory("system");
        var sources = Sources(repo, system, new Uri("http://127.0.0.1:9/"));

        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(sources, null, null, null, default));

        _output.WriteLine(e.Message);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Contains($"in {repo}/", e.Message);
        Assert.Contains("FASHION_MNIST_DIR", e.Message);
        Assert.Contains("allow the download from Zalando (http://127.0.0.1:9/)", e.Message);
        Assert.Contains("http://127.0.0.1:9/train-images-idx3-ubyte.gz", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(repo));
    }

    // ---- Download ------------------------------------------------------------------------------

    [Fact]
    public void DownloadsVerifiesAndKeepsExactlyTheFourFiles()
    {
        string served = NewDirectory("served");
        var set = SyntheticSet.Write(served, trainCount: 8, testCount: 3, gzip: true);
        using var server = new LoopbackFileServer(served);
        string repo = Path.Combine(_root, "repo-data");
        var messages = new List<string>();

        using (var data = FashionMnist.Load(Sources(repo, NewDirectory("system"), server.BaseUrl, Checksums(served)),
                   null, null, new SynchronousProgress(messages), default))
        {
            Assert.Equal(repo, data.SourceDirectory);
            AssertSplit(set.Train, data.Train, 8);
            AssertSplit(set.Test, data.Test, 3);
        }

        Assert.Equal(
            ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"],
            Directory.EnumerateFileSystemEntries(repo).Select(Path.GetFileName).Order());
        foreach (string name in Directory.EnumerateFiles(served))
            Assert.Equal(File.ReadAllBytes(name), File.ReadAllBytes(Path.Combine(repo, Path.GetFileName(name))));
        Assert.Equal(4, server.Requests.Count);
        Assert.Contains(messages, m => m.Contains("sha256 verified"));
    }

    [Fact]
    public void DownloadsOnlyTheFilesTheRepositoryFolderLacks()
    {
        string served = NewDirectory("served");
        SyntheticSet.Write(served, trainCount: 4, testCount: 2, gzip: true);
        string repo = NewDirectory("repo");
        foreach (string name in new[] { "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            File.Copy(Path.Combine(served, name), Path.Combine(repo, name));
        using var server = new LoopbackFileServer(served);

        using var data = FashionMnist.Load(Sources(repo, NewDirectory("system"), server.BaseUrl, Checksums(served)), null, null, null, default);

        Assert.Equal(["/t10k-images-idx3-ubyte.gz", "/train-labels-idx1-ubyte.gz"], server.Requests.Order());
        Assert.Equal(4, Directory.EnumerateFileSystemEntries(repo).Count());
    }

    [Fact]
    public void ChecksumMismatchKeepsNothing()
    {
        string served = NewDirectory("served");
        SyntheticSet.Write(served, trainCount: 4, testCount: 2, gzip: true);
        var checksums = Checksums(served);
        checksums["t10k-labels-idx1-ubyte.gz"] = new string('0', 64);
        using var server = new LoopbackFileServer(served);
        string repo = Path.Combine(_root, "repo-data");

        var e = Assert.Throws<InvalidDataException>(() =>
            FashionMnist.Load(Sources(repo, NewDirectory("system"), server.BaseUrl, checksums), null, null, null, default));

        Assert.Contains("t10k-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("sha256", e.Message);
        Assert.Contains("Nothing was kept", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(repo));
    }

    [Fact]
    public void MissingFileOnTheServerGivesTheNoDataMessageAndKeepsNothing()
    {
        string served = NewDirectory("served");
        SyntheticSet.Write(served, trainCount: 4, testCount: 2, gzip: true);
        var checksums = Checksums(served);
        File.Delete(Path.Combine(served, "t10k-images-idx3-ubyte.gz"));
        using var server = new LoopbackFileServer(served);
        string repo = Path.Combine(_root, "repo-data");

        var e = Assert.Throws<FileNotFoundException>(() =>
            FashionMnist.Load(Sources(repo, NewDirectory("system"), server.BaseUrl, checksums), null, null, null, default));

        Assert.Contains("t10k-images-idx3-ubyte.gz answered HTTP 404", e.Message);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(repo));
    }

    [Fact]
    public void CancelledDownloadKeepsNothing()
    {
        string served = NewDirectory("served");
        SyntheticSet.Write(served, trainCount: 4, testCount: 2, gzip: true);
        using var server = new LoopbackFileServer(served);
        string repo = Path.Combine(_root, "repo-data");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            FashionMnist.Load(Sources(repo, NewDirectory("system"), server.BaseUrl, Checksums(served)), null, null, null, cancelled.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(repo));

        SyntheticSet.Write(repo, trainCount: 2, testCount: 2, gzip: true);
        Assert.ThrowsAny<OperationCanceledException>(() => FashionMnist.Load(repo, cancellationToken: cancelled.Token));
    }

    // ---- Class names ---------------------------------------------------------------------------

    [Fact]
    public void TextLabelsAreD2ls()
    {
        Assert.Equal(
            ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"],
            FashionMnist.ClassNames);
        Assert.Equal("t-shirt", FashionMnist.TextLabel(0));
        Assert.Equal("ankle boot", FashionMnist.TextLabel(9));
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.TextLabel(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnist.TextLabel(-1));
    }

    // ---- The real data -------------------------------------------------------------------------

    [Fact]
    [Trait("Category", "RealData")]
    public void LoadsTheRealData()
    {
        using (ones(1)) { } // load the native backend first: its start-up is not the loader's time
        var clock = Stopwatch.StartNew();
        using var data = FashionMnist.Load(RealDataDirectory);
        double seconds = clock.Elapsed.TotalSeconds;
        _output.WriteLine($"Loaded all 70,000 Fashion-MNIST images from {RealDataDirectory} in {seconds:F3} s.");

        Assert.Equal(RealDataDirectory, data.SourceDirectory);
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal([60000L, 1, 28, 28], data.Train.Images.shape);
        Assert.Equal([10000L, 1, 28, 28], data.Test.Images.shape);
        Assert.Equal(ScalarType.Float32, data.Train.Images.dtype);
        Assert.Equal(ScalarType.Int64, data.Train.Labels.dtype);
        Assert.Equal(0f, data.Train.Images.min().item<float>());
        Assert.Equal(1f, data.Train.Images.max().item<float>());
        Assert.Equal(Enumerable.Repeat(6000L, 10), data.Train.Labels.bincount(null, 10).data<long>().ToArray());
        Assert.Equal(Enumerable.Repeat(1000L, 10), data.Test.Labels.bincount(null, 10).data<long>().ToArray());
        Assert.Equal(9, data.Train.Labels[0].item<long>());
        Assert.Equal("ankle boot", FashionMnist.TextLabel(data.Train.Labels[0].item<long>()));
        // The load time is printed, not asserted: speed targets live in the bench command, where a busy
        // 2-core machine cannot turn them into a flaky failure.
    }

    // ---- Helpers -------------------------------------------------------------------------------

    static FashionMnistSources Sources(string repo, string system, Uri url, IReadOnlyDictionary<string, string>? sha256 = null) =>
        new(null, null, repo, system, url, sha256 ?? FashionMnistDownload.ZalandoSha256);

    static Dictionary<string, string> Checksums(string directory) =>
        Directory.EnumerateFiles(directory).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));

    static void AssertSplit(SyntheticSplit expected, FashionMnistSplit actual, int count)
    {
        Assert.Equal(count, actual.Count);
        Assert.Equal([count, 1L, 28, 28], actual.Images.shape);
        Assert.Equal([(long)count], actual.Labels.shape);
        Assert.Equal(ScalarType.Float32, actual.Images.dtype);
        Assert.Equal(ScalarType.Int64, actual.Labels.dtype);
        float[] pixels = actual.Images.data<float>().ToArray();
        for (int i = 0; i < pixels.Length; i++)
            Assert.Equal(expected.Pixels[i] / 255f, pixels[i]);
        Assert.Equal(expected.Labels[..count].Select(b => (long)b), actual.Labels.data<long>().ToArray());
    }

    static byte[] Compress(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
            gzip.Write(bytes);
        return buffer.ToArray();
    }

    static byte[] Decompress(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    sealed record SyntheticSplit(byte[] Pixels, byte[] Labels);

    sealed record SyntheticSet(SyntheticSplit Train, SyntheticSplit Test)
    {
        /// <summary>Writes the four IDX files of a small data set whose every pixel and label is known.</summary>
        public static SyntheticSet Write(string directory, int trainCount, int testCount, bool gzip)
        {
            var train = new SyntheticSplit(Pixels(trainCount, seed: 1), Labels(trainCount));
            var test = new SyntheticSplit(Pixels(testCount, seed: 2), Labels(testCount));
            void Save(string name, byte[] bytes) =>
                File.WriteAllBytes(Path.Combine(directory, gzip ? name + ".gz" : name), gzip ? Compress(bytes) : bytes);
            Save("train-images-idx3-ubyte", ImageFile(train.Pixels, trainCount, 28, 28));
            Save("train-labels-idx1-ubyte", LabelFile(train.Labels));
            Save("t10k-images-idx3-ubyte", ImageFile(test.Pixels, testCount, 28, 28));
            Save("t10k-labels-idx1-ubyte", LabelFile(test.Labels));
            return new SyntheticSet(train, test);
        }

        /// <summary>Every byte value occurs (0 and 255 included), different per sample.</summary>
        static byte[] Pixels(int count, int seed) =>
            Enumerable.Range(0, count * 28 * 28).Select(i => (byte)((i * 31 + seed * 7 + i / 784) % 256)).ToArray();

        public static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)((i * 3 + 9) % 10)).ToArray();

        public static byte[] ImageFile(byte[] pixels, int count, int rows, int columns) =>
            [.. Header(0x00000803, count, rows, columns), .. pixels];

        public static byte[] LabelFile(byte[] labels) => [.. Header(0x00000801, labels.Length), .. labels];

        static byte[] Header(params int[] words)
        {
            var header = new byte[4 * words.Length];
            for (int i = 0; i < words.Length; i++)
                BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * i), words[i]);
            return header;
        }
    }

    /// <summary>Reports on the calling thread, so the list is complete when Load returns.</summary>
    sealed class SynchronousProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }

    /// <summary>Serves the files of a folder over HTTP on 127.0.0.1; 404 for anything else.</summary>
    sealed class LoopbackFileServer : IDisposable
    {
        readonly HttpListener _listener = new();
        readonly string _directory;
        readonly Task _serving;
        readonly List<string> _requests = [];

        public LoopbackFileServer(string directory)
        {
            _directory = directory;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseUrl = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(BaseUrl.ToString());
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public Uri BaseUrl { get; }

        public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

        async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                string path = context.Request.Url!.AbsolutePath;
                lock (_requests) _requests.Add(path);
                string file = Path.Combine(_directory, Path.GetFileName(path));
                using var response = context.Response;
                if (File.Exists(file))
                {
                    byte[] bytes = await File.ReadAllBytesAsync(file);
                    response.ContentLength64 = bytes.Length;
                    await response.OutputStream.WriteAsync(bytes);
                }
                else
                {
                    response.StatusCode = 404;
                }
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
