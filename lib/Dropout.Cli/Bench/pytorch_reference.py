#!/usr/bin/env python3
"""PyTorch reference of d2l's dropout training, for `Dropout.Cli bench --peer pytorch`.

The same training as the C# side: the real Fashion-MNIST (the four IDX .gz files, read with gzip and
numpy, byte / 255 like torchvision's ToTensor), d2l's concise MLP 784-256-256-10 with dropout (p1, p2)
and Linear weights ~ N(0, 0.01), SGD lr 0.5, batch 256, CrossEntropyLoss(reduction='none') with
l.mean().backward(), shuffled minibatches taken from pre-loaded tensors, and d2l's train_epoch_ch3
bookkeeping (float(l.sum()) and the accuracy count every step). Evaluation runs in eval mode under
no_grad with d2l's test batch size.

Two ways to run it:
  pytorch_reference.py --data DIR --epochs 10      one JSON line per epoch (for a person)
  pytorch_reference.py --data DIR --serve          reads commands on stdin, one JSON line each:
      epoch            train one epoch and evaluate
      ceiling STEPS    time the same matrix products alone, STEPS training steps' worth
      quit
"""
import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn

WIDTHS = (784, 256, 256, 10)


def read_idx(directory, name):
    """Reads one IDX file (.gz or not) into a numpy array with the shape its header gives."""
    for path, opener in ((os.path.join(directory, name + ".gz"), gzip.open), (os.path.join(directory, name), open)):
        if os.path.exists(path):
            with opener(path, "rb") as f:
                raw = f.read()
            ndim = raw[3]
            dims = np.frombuffer(raw, dtype=">u4", count=ndim, offset=4).astype(np.int64)
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)
    raise SystemExit(f"pytorch_reference: {name}(.gz) is not in {directory}")


def load_fashion_mnist(directory):
    """Images as float32 [N, 1, 28, 28] in [0, 1], labels int64."""
    def split(images, labels):
        x = torch.from_numpy(read_idx(directory, images).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
        y = torch.from_numpy(read_idx(directory, labels).astype(np.int64))
        return x, y
    return split("train-images-idx3-ubyte", "train-labels-idx1-ubyte"), split("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def memory():
    """(VmRSS, VmHWM) of this process in bytes, from /proc/self/status."""
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]


def make_net(p1, p2):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p1),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p2), nn.Linear(256, 10))

    def init_weights(m):
        if type(m) == nn.Linear:
            nn.init.normal_(m.weight, std=0.01)
    net.apply(init_weights)
    return net


def accuracy(y_hat, y):
    """d2l's accuracy: the number of correct predictions."""
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


class Reference:
    def __init__(self, args):
        start = time.perf_counter()
        (self.x_train, self.y_train), (self.x_test, self.y_test) = load_fashion_mnist(args.data)
        self.load_seconds = time.perf_counter() - start
        torch.manual_seed(args.seed)
        self.generator = torch.Generator().manual_seed(args.seed)
        self.net = make_net(args.p1, args.p2)
        self.loss = nn.CrossEntropyLoss(reduction="none")
        self.trainer = torch.optim.SGD(self.net.parameters(), lr=args.lr)
        self.batch_size = args.batch_size
        self.eval_batch_size = args.eval_batch_size
        self.epoch = 0

    def ready(self):
        rss, peak = memory()
        return {"event": "ready", "torch": torch.__version__, "threads": torch.get_num_threads(),
                "blas": blas_info(), "load_seconds": self.load_seconds, "train": len(self.y_train),
                "test": len(self.y_test), "rss_bytes": rss, "peak_rss_bytes": peak}

    def train_epoch(self):
        """d2l's train_epoch_ch3 over pre-loaded tensors in a fresh random order."""
        self.net.train()
        loss_sum, correct, n, steps = 0.0, 0.0, 0, 0
        order = torch.randperm(len(self.y_train), generator=self.generator)
        for start in range(0, len(order), self.batch_size):
            idx = order[start:start + self.batch_size]
            X, y = self.x_train[idx], self.y_train[idx]
            y_hat = self.net(X)
            l = self.loss(y_hat, y)
            self.trainer.zero_grad()
            l.mean().backward()
            self.trainer.step()
            loss_sum += float(l.sum())
            correct += accuracy(y_hat, y)
            n += y.numel()
            steps += 1
        return loss_sum / n, correct / n, steps

    def evaluate(self):
        self.net.eval()
        correct = 0.0
        with torch.no_grad():
            for start in range(0, len(self.y_test), self.eval_batch_size):
                X = self.x_test[start:start + self.eval_batch_size]
                y = self.y_test[start:start + self.eval_batch_size]
                correct += accuracy(self.net(X), y)
        return correct / len(self.y_test)

    def run_epoch(self):
        self.epoch += 1
        cpu_start = time.process_time()
        start = time.perf_counter()
        train_loss, train_acc, steps = self.train_epoch()
        train_seconds = time.perf_counter() - start
        start = time.perf_counter()
        test_acc = self.evaluate()
        eval_seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        rss, peak = memory()
        return {"event": "epoch", "epoch": self.epoch, "train_seconds": train_seconds, "eval_seconds": eval_seconds,
                "steps": steps, "train_loss": train_loss, "train_acc": train_acc, "test_acc": test_acc,
                "rss_bytes": rss, "peak_rss_bytes": peak, "cpu_seconds": cpu_seconds}

    def ceiling(self, steps):
        """The same matrix products as a training step (nn.Linear's shapes and layouts), timed alone."""
        b = self.batch_size
        layers = [(torch.rand(b, i), torch.rand(o, i), torch.rand(o), torch.rand(b, o)) for i, o in zip(WIDTHS, WIDTHS[1:])]
        flops_per_step = 0
        for k, (X, W, _, dY) in enumerate(layers):
            flops_per_step += 2 * b * W.numel() * (3 if k > 0 else 2)
        with torch.no_grad():
            start = time.perf_counter()
            for _ in range(steps):
                for X, W, bias, _ in layers:
                    torch.addmm(bias, X, W.t())
                for k in reversed(range(len(layers))):
                    X, W, _, dY = layers[k]
                    dY.t().mm(X)
                    if k > 0:
                        dY.mm(W)
            seconds = time.perf_counter() - start
        return {"event": "ceiling", "steps": steps, "gflops": steps * flops_per_step / seconds / 1e9}


def blas_info():
    """The BLAS library loaded at run time (Debian's torch is built against the generic BLAS interface and
    uses whichever libblas.so.3 the alternatives system points to), else what torch was built with."""
    torch.ones(2, 2).mm(torch.ones(2, 2))
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if "blas" in os.path.basename(path):
                return os.path.realpath(path)
    for line in torch.__config__.show().splitlines():
        if "BLAS_INFO" in line:
            for part in line.split(","):
                if "BLAS_INFO" in part:
                    return part.split("=", 1)[1].strip()
    return "unknown"


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder with the four Fashion-MNIST IDX files (.gz or not)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (intra-op threads)")
    parser.add_argument("--p1", type=float, default=0.2)
    parser.add_argument("--p2", type=float, default=0.5)
    parser.add_argument("--lr", type=float, default=0.5)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--eval-batch-size", type=int, default=256, help="d2l's test_iter uses the training batch size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=10, help="epochs to run without --serve")
    parser.add_argument("--serve", action="store_true", help="take commands on stdin (see the module docstring)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    reference = Reference(args)
    emit(reference.ready())
    if not args.serve:
        for _ in range(args.epochs):
            emit(reference.run_epoch())
        return
    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "epoch":
            emit(reference.run_epoch())
        elif command[0] == "ceiling":
            emit(reference.ceiling(int(command[1])))
        elif command[0] == "quit":
            return
        else:
            emit({"event": "error", "message": f"unknown command {line.strip()!r}"})


if __name__ == "__main__":
    main()
