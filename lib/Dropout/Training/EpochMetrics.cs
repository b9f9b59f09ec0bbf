using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>What one epoch of <see cref="D2l.TrainCh3"/> measured (d2l's Animator plots the first three).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Σ per-sample loss / number of samples, over the epoch's minibatches (train mode).</param>
/// <param name="TrainAcc">Fraction of training samples classified right during the epoch (train mode).</param>
/// <param name="TestAcc">Accuracy on the test set after the epoch (eval mode, no dropout).</param>
/// <param name="Seconds">Wall time of the epoch: training plus evaluation.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAcc, double TestAcc, double Seconds);
