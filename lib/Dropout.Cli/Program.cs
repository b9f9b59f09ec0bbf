using static TorchSharp.torch;
Console.WriteLine(Dropout.TorchNative.Ensure());
Console.WriteLine(rand(3, 3).sum().item<float>());
