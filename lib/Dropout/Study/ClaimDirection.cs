using System.Globalization;

namespace Dropout.Study;

/// <summary>Which way a <see cref="SourceClaim.ComparedWith"/> claim goes.</summary>
public enum ClaimDirection
{
    /// <summary>This pair trains clearly better than the other.</summary>
    Better,
    /// <summary>This pair trains clearly worse than the other.</summary>
    Worse,
    /// <summary>No clear difference ("basically the same", "similar").</summary>
    Similar,
}
