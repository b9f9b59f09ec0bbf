namespace Dropout.Experiments.Study;

/// <summary>What one invocation of a study (<see cref="StudyRunner.Run"/>, or a study spread over workers) did.</summary>
/// <param name="Skipped">Runs already in the results file, not trained again.</param>
/// <param name="Trained">Runs trained and appended.</param>
public sealed record StudyOutcome(int Skipped, int Trained, TimeSpan Elapsed);
