using System.Runtime.CompilerServices;

// The tests reach the machinery's seams (the exact-mask generator, the results file's lock).
[assembly: InternalsVisibleTo("Dropout.Tests")]
