namespace Dropout.Tests.Cluster;

/// <summary>
/// A fact that runs on a real Slurm: skipped, with the reason, only where Slurm is missing and cannot be installed
/// (no apt-get, or neither root nor sudo -n). Where it can be, the test installs it.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    /// <summary>Decides at discovery, cheaply: nothing is installed here.</summary>
    public SlurmFactAttribute()
    {
        if (PrivateSlurm.CannotInstallReason() is string reason) Skip = reason;
    }
}
