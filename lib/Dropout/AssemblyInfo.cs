using System.Runtime.CompilerServices;

// The tests reach the loader's seams (where it looks, the download URL and checksums) without
// touching the process environment or the machine's data folders.
[assembly: InternalsVisibleTo("Dropout.Tests")]
