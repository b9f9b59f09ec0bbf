using System.Net;
using System.Security.Cryptography;

namespace Dropout.Data;

/// <summary>Downloads Zalando's files all or nothing: each to a temp file beside its target while its sha256 is computed,
/// renamed into place only when all have matched; on failure or cancellation the temp files are deleted.</summary>
internal static class FashionMnistDownload
{
    /// <summary>Where Zalando publishes the four files.</summary>
    internal const string ZalandoBaseUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /// <summary>The sha256 of Zalando's four .gz files (the same bytes Debian's dataset-fashion-mnist ships).</summary>
    internal static readonly IReadOnlyDictionary<string, string> ZalandoSha256 = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte.gz"] = "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        ["train-labels-idx1-ubyte.gz"] = "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        ["t10k-images-idx3-ubyte.gz"] = "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        ["t10k-labels-idx1-ubyte.gz"] = "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
    };

    /// <summary>A stalled connection fails after this long without a byte.</summary>
    static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The server could not be reached or did not deliver a file; the message says why.</summary>
    internal sealed class UnreachableException(string message, Exception? inner = null) : Exception(message, inner);

    /// <summary>Downloads each file from <paramref name="baseUrl"/> into <paramref name="directory"/>, sha256-checked.</summary>
    /// <exception cref="UnreachableException">The server could not be reached or answered with an error.</exception>
    /// <exception cref="InvalidDataException">A file arrived but its checksum is wrong; nothing was kept.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; nothing was kept.</exception>
    internal static void Run(IReadOnlyList<string> fileNames, string directory, Uri baseUrl,
        IReadOnlyDictionary<string, string> sha256, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        try { Directory.CreateDirectory(directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnreachableException($"cannot create {directory} to download into ({e.Message})", e);
        }

        var arrived = new List<(string Temp, string Final)>();
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { ConnectTimeout = IdleTimeout }) { Timeout = Timeout.InfiniteTimeSpan };
            foreach (string name in fileNames)
            {
                string temp = Path.Combine(directory, $".{name}.{Environment.ProcessId}.{Guid.NewGuid():N}.part");
                arrived.Add((temp, Path.Combine(directory, name)));
                var url = new Uri(baseUrl, name);
                progress?.Report($"Downloading {url} ...");
                var (length, hash) = FetchAsync(client, url, temp, cancellationToken).GetAwaiter().GetResult();
                Verify(name, url, length, hash, sha256);
                progress?.Report($"Downloaded {name}: {length / 1e6:F1} MB, sha256 verified.");
            }
            foreach (var (temp, final) in arrived)
                File.Move(temp, final, overwrite: true);
            arrived.Clear();
        }
        finally
        {
            foreach (var (temp, _) in arrived)
                try { File.Delete(temp); } catch (IOException) { /* best effort; the name marks it as a leftover */ }
        }
    }

    static void Verify(string name, Uri url, long length, string actual, IReadOnlyDictionary<string, string> sha256)
    {
        if (!sha256.TryGetValue(name, out string? expected))
            throw new InvalidOperationException($"No checksum is known for {name}.");
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"Fashion-MNIST: the download of {name} from {url} ({length} bytes) has sha256 {actual}, expected {expected}. " +
                "Nothing was kept. Try again later, or get the data another way: sudo apt-get install dataset-fashion-mnist.");
    }

    /// <summary>Streams <paramref name="url"/> into <paramref name="temp"/>; returns its length and lowercase hex sha256.</summary>
    static async Task<(long Length, string Sha256)> FetchAsync(HttpClient client, Uri url, string temp, CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            idle.CancelAfter(IdleTimeout);
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new UnreachableException($"{url} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            await using var body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16, useAsync: true);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            long length = 0;
            while (true)
            {
                idle.CancelAfter(IdleTimeout);
                int read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                if (read == 0) break;
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length += read;
            }
            return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new UnreachableException($"{url} sent nothing for {IdleTimeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException e)
        {
            throw new UnreachableException($"{url}: {e.Message.TrimEnd('.')}", e);
        }
        catch (IOException e) when (e is HttpIOException || e.InnerException is System.Net.Sockets.SocketException)
        {
            throw new UnreachableException($"{url}: the connection broke ({e.Message.TrimEnd('.')})", e);
        }
    }
}
