using System.Diagnostics;
using Dropout.Data;
using Dropout.Layers;
using Dropout.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dropout.Experiments.Training;

/// <summary>
/// The loop the study and <c>bench</c> run: <see cref="D2l.TrainCh3"/> step for step (forward, loss, <c>zero_grad</c>,
/// <c>l.mean().backward()</c>, SGD update and metrics, in that order, with the same dropout masks), so it gives the same
/// numbers for the same seed, without the costs <c>bench</c> measured in the plain loop. d2l's loop is the one to read.
/// <list type="bullet">
/// <item><c>nn.Dropout</c> and <see cref="DropoutWithGenerator"/> layers of a <see cref="Sequential"/> draw their masks
/// through <see cref="ExactDropout"/>, about ten times cheaper; where its check fails, <c>nn.Dropout</c> runs as usual.
/// Forward hooks registered on those modules are not called.</item>
/// <item>Plain SGD (no momentum, no weight decay) sets the gradients to none (PyTorch's default) and updates with one
/// cached learning-rate scalar. <c>optim.SGD.step()</c> makes a native scalar per parameter per step that only the GC
/// frees; scattered among the step's tensors, they kept the native heap from reusing freed memory, so the process grew
/// by hundreds of MiB (a page fault per new page) until collections caught up.</item>
/// <item>Loss and accuracy go through <see cref="EpochAccumulator"/>.</item>
/// </list>
/// </summary>
public sealed class FastTrainer : IDisposable
{
    readonly nn.Module<Tensor, Tensor> _net;
    readonly nn.Module<Tensor, Tensor, Tensor> _loss;
    readonly optim.Optimizer _updater;
    readonly Sequential? _sequential;
    readonly ExactDropout?[] _exactDropouts = [];
    readonly SGD? _sgd;
    readonly Dictionary<double, Scalar> _alphas = [];

    /// <summary>A loop for <paramref name="net"/>; checks once, on a probe, whether <see cref="ExactDropout"/> matches libtorch here.</summary>
    /// <param name="loss">Per sample, not reduced (d2l's <c>CrossEntropyLoss(reduction='none')</c>).</param>
    public FastTrainer(nn.Module<Tensor, Tensor> net, nn.Module<Tensor, Tensor, Tensor> loss, optim.Optimizer updater)
    {
        _net = net;
        _loss = loss;
        _updater = updater;
        if (net is Sequential sequential)
        {
            _sequential = sequential;
            _exactDropouts = new ExactDropout?[sequential.Count];
            for (int i = 0; i < sequential.Count; i++)
            {
                var (p, generator) = sequential[i] switch
                {
                    TorchSharp.Modules.Dropout { inplace: false } d => (d.p, (Generator?)null),
                    DropoutWithGenerator d => (d.P, d.Generator),
                    _ => (double.NaN, null),
                };
                if (!(p > 0 && p < 1)) continue;
                DropoutLayers++;
                _exactDropouts[i] = ExactDropout.Create(p, generator);
            }
        }
        if (updater is SGD sgd && sgd.ParamGroups.All(g => g is SGD.ParamGroup { Options: { momentum: 0 or null, weight_decay: 0 or null } }))
            _sgd = sgd;
    }

    /// <summary>How many <c>nn.Dropout</c> layers draw their masks in managed code (the rest, if any, run as usual).</summary>
    public int ExactDropoutLayers => _exactDropouts.Count(d => d is not null);

    /// <summary>How many <c>nn.Dropout</c> layers with a probability strictly between 0 and 1 the net has (a <see cref="Sequential"/>'s own).</summary>
    public int DropoutLayers { get; }

    /// <summary>True when the update is plain SGD done with cached scalars; false when the optimizer's own <c>step()</c> runs.</summary>
    public bool CachedSgdUpdate => _sgd is not null;

    /// <summary>One line for logs: which of the loop's shortcuts are in use.</summary>
    public override string ToString()
    {
        string masks = DropoutLayers == 0 ? "no dropout layer to speed up"
            : ExactDropoutLayers == DropoutLayers ? $"dropout masks of {DropoutLayers} layer(s) drawn in managed code (checked against libtorch on this CPU)"
            : $"dropout masks of {ExactDropoutLayers} of {DropoutLayers} layer(s) drawn in managed code, the rest by libtorch (its kernel differs on this CPU)";
        return $"{masks}; {(CachedSgdUpdate ? "gradients set to none, SGD update with a cached scalar" : "the optimizer's own zero_grad() and step()")}";
    }

    /// <summary>One train-mode pass, as <see cref="D2l.TrainEpochCh3"/>: (Σ loss / n, correct / n).</summary>
    /// <exception cref="TrainingDivergedException">A NaN or infinite loss; the message names the step.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (checked before each step).</exception>
    public (double TrainLoss, double TrainAcc) TrainEpoch(DataIter trainIter, int epoch = 1, CancellationToken cancellationToken = default)
    {
        _net.train();
        using var metrics = new EpochAccumulator(trainIter.BatchCount, epoch);
        foreach (var (X, y) in trainIter)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            scope.Attach([X, y]);
            var yHat = Forward(X);
            var l = _loss.forward(yHat, y);
            ZeroGrad();
            l.mean().backward();
            Step();
            metrics.Add(l, yHat, y);
        }
        return metrics.Result();
    }

    /// <summary><see cref="D2l.TrainCh3"/> with this loop: the same arguments, the same numbers for the same seed, faster.</summary>
    public static TrainingHistory TrainCh3(
        nn.Module<Tensor, Tensor> net, DataIter trainIter, DataIter testIter, nn.Module<Tensor, Tensor, Tensor> loss,
        int numEpochs, optim.Optimizer updater, Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        if (numEpochs <= 0) throw new ArgumentOutOfRangeException(nameof(numEpochs), numEpochs, $"the number of epochs must be positive; got {numEpochs}.");
        using var trainer = new FastTrainer(net, loss, updater);
        var epochs = new List<EpochMetrics>(numEpochs);
        for (int epoch = 1; epoch <= numEpochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainAcc) = trainer.TrainEpoch(trainIter, epoch, cancellationToken);
            double testAcc = D2l.EvaluateAccuracy(net, testIter);
            var metrics = new EpochMetrics(epoch, trainLoss, trainAcc, testAcc, clock.Elapsed.TotalSeconds);
            epochs.Add(metrics);
            onEpoch?.Invoke(metrics);
        }
        return new TrainingHistory(epochs);
    }

    /// <summary>The net's forward: <see cref="Sequential"/>'s own loop with each training-mode <c>nn.Dropout</c> drawn exactly.</summary>
    Tensor Forward(Tensor X)
    {
        if (_sequential is null) return _net.forward(X);
        Tensor t = X;
        for (int i = 0; i < _sequential.Count; i++)
        {
            var layer = _sequential[i];
            Tensor next = _exactDropouts[i] is { } exact && layer is nn.Module { training: true } && ExactDropout.Handles(t)
                ? exact.Forward(t)
                : layer.call(t);
            // As Sequential.forward does: the intermediate handles go at once (autograd keeps what it needs).
            if (i > 0) t.Dispose();
            t = next;
        }
        return t;
    }

    /// <summary>
    /// For plain SGD, PyTorch's default <c>set_to_none=True</c> (what d2l's <c>updater.zero_grad()</c> does) rather than
    /// TorchSharp's zero fill, so backward hands its gradient over instead of adding it to zeros. The update is the same:
    /// 0 + g is g but for the sign of a zero, and a parameter that is not −0 moves the same by ±0 (none is: initial values
    /// are not, and x + y is −0 only when both are).
    /// </summary>
    void ZeroGrad()
    {
        if (_sgd is null)
        {
            _updater.zero_grad();
            return;
        }
        foreach (var group in _sgd.ParamGroups.Cast<SGD.ParamGroup>())
            foreach (var param in group.Parameters)
                param.grad = null;
    }

    /// <summary>optim.SGD's step for plain SGD: param += −lr · grad under no_grad, with one scalar per learning rate.</summary>
    void Step()
    {
        if (_sgd is null)
        {
            _updater.step();
            return;
        }
        using var _ = no_grad();
        foreach (SGD.ParamGroup group in _sgd.ParamGroups.Cast<SGD.ParamGroup>())
        {
            double lr = group.LearningRate;
            var alpha = Alpha(group.Options.maximize == true ? lr : -lr);
            foreach (var param in group.Parameters)
            {
                using var grad = param.grad;
                if (grad is null) continue;
                param.add_(grad, alpha);
            }
        }
    }

    Scalar Alpha(double value)
    {
        if (!_alphas.TryGetValue(value, out var scalar))
        {
            scalar = value.ToScalar();
            _alphas[value] = scalar;
        }
        return scalar;
    }

    /// <summary>Frees the cached scalars (the net, loss and optimizer stay the caller's).</summary>
    public void Dispose()
    {
        foreach (var s in _alphas.Values) s.Dispose();
        _alphas.Clear();
    }
}
