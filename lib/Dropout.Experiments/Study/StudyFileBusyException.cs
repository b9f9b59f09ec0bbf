namespace Dropout.Experiments.Study;

/// <summary>Another process holds a results file's <see cref="StudyFileLock"/>; the message names both and says what to do.</summary>
public sealed class StudyFileBusyException : IOException
{
    /// <summary>What to do about a busy results file, unless the caller says otherwise.</summary>
    public const string DefaultAdvice =
        "wait for it to finish (it may be training the same runs), pass --wait to take your turn after it, or choose another --out";

    /// <summary>Builds the message from the file, its holder and the advice.</summary>
    /// <param name="path">The results file, as the user gave it.</param>
    /// <param name="holder">Who holds its lock, as the holder wrote it.</param>
    /// <param name="waited">True when the caller waited for it before giving up.</param>
    /// <param name="advice">What the user can do; <see cref="DefaultAdvice"/> when null.</param>
    public StudyFileBusyException(string path, string holder, bool waited, string? advice = null)
        : base($"{path} is in use by {holder}{(waited ? ", and was not released in time" : "")}. " +
               $"One process at a time writes a results file: {advice ?? DefaultAdvice}.")
    {
        FilePath = path;
        Holder = holder;
    }

    /// <summary>The results file.</summary>
    public string FilePath { get; }

    /// <summary>Who holds its lock.</summary>
    public string Holder { get; }
}
