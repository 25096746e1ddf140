#!/usr/bin/python3
"""Trains the bundled default model: a small CNN on the handwritten digits
that Debian's python3-sklearn ships (1,797 images, 8x8, values 0..16), with
Debian's python3-torch. Fixed seed, a stratified held-out test split that
training never sees. Writes, beside this script:

  digits.onnx        the trained model, ending in Softmax (opset 14)
  digits.tlm         the same through tools/onnx2tlm.py
  test-split.txt     the test split and PyTorch's output for each sample
  samples/*.pgm      one test image per class, for people to look at

and prints PyTorch's accuracy on both splits. Only this script needs torch
and sklearn; the tests read the files it wrote.

    /usr/bin/python3 models/digits/train_digits.py
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tools"))
import onnx2tlm  # noqa: E402

SEED = 0
TEST_FRACTION = 0.25
EPOCHS, BATCH, LEARNING_RATE = 40, 32, 2e-3
SCALE = 16.0     # model input = pixel / 16: exact in float32, 0..1


class DigitsNet(nn.Module):
    """1x8x8 -> 10 logits: three 3x3 convolutions with batch
    normalisation (folded into them at export), two 2x2 max pools."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2),                                    # 32x4x4
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.MaxPool2d(2))                                    # 64x2x2
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.25), nn.Linear(256, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


def data():
    digits = load_digits()
    x = digits.images.astype(np.float32)        # (n, 8, 8), 0..16
    return train_test_split(x, digits.target, test_size=TEST_FRACTION,
                            random_state=SEED, stratify=digits.target)


def as_input(pixels):
    return torch.from_numpy(pixels / np.float32(SCALE)).unsqueeze(1)


def train(x, y):
    net = DigitsNet()
    opt = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE)
    loss = nn.CrossEntropyLoss()
    xs, ys = as_input(x), torch.from_numpy(y).long()
    for _ in range(EPOCHS):
        net.train()
        order = torch.randperm(len(xs))
        for i in range(0, len(xs), BATCH):
            idx = order[i:i + BATCH]
            opt.zero_grad()
            loss(net(xs[idx]), ys[idx]).backward()
            opt.step()
    return net.eval()


def accuracy(model, x, y):
    with torch.no_grad():
        return float((model(as_input(x)).argmax(1).numpy() == y).mean())


def write_test_split(path, model, x, y):
    """One line per sample: label, 64 pixels, PyTorch's 10 probabilities
    (each sample run alone, batch 1, as S-Tinylib runs it)."""
    with open(path, "w") as f:
        f.write("# sklearn digits, held-out test split of train_digits.py "
                "(seed %d, %d%% stratified): %d samples.\n"
                % (SEED, TEST_FRACTION * 100, len(x)))
        f.write("# Each line: label, the 64 pixels (0..16, row by row), then "
                "the 10 probabilities\n# of PyTorch %s (float32, 9 digits). "
                "Model input: pixel / 16, shape 1x8x8.\n" % torch.__version__)
        with torch.no_grad():
            for pixels, label in zip(x, y):
                p = model(as_input(pixels[None]))[0].numpy()
                f.write("%d %s %s\n" % (label, " ".join(
                    "%d" % v for v in pixels.reshape(-1)),
                    " ".join("%.9g" % v for v in p)))


def write_samples(folder, x, y):
    """The first test image of each class as an 8-bit PGM whose maximum
    value is 16, so its bytes are the data set's pixels (ink is bright)."""
    os.makedirs(folder, exist_ok=True)
    for label in range(10):
        i = int(np.flatnonzero(y == label)[0])
        name = os.path.join(folder, "digit%d-test%03d.pgm" % (label, i))
        with open(name, "wb") as f:
            f.write(b"P5\n# sklearn digits, test sample %d, label %d\n"
                    b"8 8\n16\n" % (i, label))
            f.write(x[i].astype(np.uint8).tobytes())


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    x_train, x_test, y_train, y_test = data()
    net = train(x_train, y_train)
    model = nn.Sequential(net, nn.Softmax(dim=1)).eval()
    onnx_path = os.path.join(HERE, "digits.onnx")
    torch.onnx.export(model, as_input(x_test[:1]), onnx_path,
                      opset_version=14, input_names=["pixels"],
                      output_names=["probabilities"])
    write_test_split(os.path.join(HERE, "test-split.txt"), model, x_test,
                     y_test)
    write_samples(os.path.join(HERE, "samples"), x_test, y_test)
    print("PyTorch accuracy: train %.4f (%d), test %.4f (%d)"
          % (accuracy(model, x_train, y_train), len(y_train),
             accuracy(model, x_test, y_test), len(y_test)))
    return onnx2tlm.main([onnx_path, "-o", os.path.join(HERE, "digits.tlm")])


if __name__ == "__main__":
    sys.exit(main())
