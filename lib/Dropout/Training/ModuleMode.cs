using TorchSharp;
using static TorchSharp.torch;

namespace Dropout.Training;

/// <summary>A module in train or eval mode for a <c>using</c> block, then back in the mode it had, so code handed a net
/// leaves the caller's mode (and so dropout) as it found it: <c>using var mode = ModuleMode.Eval(net);</c>.</summary>
public readonly struct ModuleMode : IDisposable
{
    readonly nn.Module _module;
    readonly bool _wasTraining;

    ModuleMode(nn.Module module, bool training)
    {
        _module = module;
        _wasTraining = module.training;
        module.train(training);
    }

    /// <summary>Eval mode (dropout off) until disposed.</summary>
    public static ModuleMode Eval(nn.Module module) => new(module, training: false);

    /// <summary>Train mode (dropout on) until disposed.</summary>
    public static ModuleMode Train(nn.Module module) => new(module, training: true);

    /// <summary>Train mode when <paramref name="training"/>, else eval mode, until disposed.</summary>
    public static ModuleMode Set(nn.Module module, bool training) => new(module, training);

    /// <summary>Restores the mode the module had.</summary>
    public void Dispose() => _module.train(_wasTraining);
}
