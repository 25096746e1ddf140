"""PyTorch definitions of the sample Darknet architectures
(models/zoo/mobilenet_v1.cfg and resnet18.cfg), layer
for layer, so that one set of weights can go through both importers:
ONNX (tools/onnx2tlm.py) and Darknet (darknet2tlm). `div` divides every
width and `classes` replaces the 1000 outputs, for the reduced copies the
tests keep; div=1, classes=1000 is the sample cfg itself.

Darknet's choices kept here: leaky ReLU with slope 0.1, batch normalisation
without a convolution bias, padding size/2, a 1x1 convolution with bias as
the classifier, and ResNet's downsampling shortcut without a projection
(the block input read every other pixel, the extra channels left as they
are), written as a fixed 1x1 strided convolution with identity weights.
Needs python3-torch; only the export script uses this file.
"""
import re
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DARKNET_BN_EPSILON = 1e-6     # added to sqrt(variance), not to the variance


class ConvBN(nn.Module):
    """[convolutional] or [depthwise_convolutional], batch_normalize=1."""

    def __init__(self, cin, cout, k, stride, groups=1, leaky=True):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups,
                              bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.leaky = leaky

    def forward(self, x):
        x = self.bn(self.conv(x))
        return F.leaky_relu(x, 0.1) if self.leaky else x


def classifier_head(cin, classes):
    """[avgpool], [convolutional] 1x1 with bias, linear, [softmax]."""
    return nn.AdaptiveAvgPool2d(1), nn.Conv2d(cin, classes, 1)


def softmax(x):
    return F.softmax(torch.flatten(x, 1), dim=1)


class MobileNetV1(nn.Module):
    # (output channels of the pointwise conv, stride of the depthwise)
    PAIRS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
             (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2),
             (1024, 1)]

    def __init__(self, div=1, classes=1000):
        super().__init__()
        c = 32 // div
        units = [ConvBN(3, c, 3, 2)]
        for out, stride in self.PAIRS:
            units += [ConvBN(c, c, 3, stride, groups=c),
                      ConvBN(c, out // div, 1, 1)]
            c = out // div
        self.units = nn.Sequential(*units)
        self.pool, self.fc = classifier_head(c, classes)

    def forward(self, x):
        return softmax(self.fc(self.pool(self.units(x))))

    def darknet_layers(self):
        return list(self.units) + [self.fc]


class BasicBlock(nn.Module):
    """Two 3x3 convolutions and [shortcut] from=-3 activation=leaky."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ConvBN(cin, cout, 3, stride)
        self.conv2 = ConvBN(cout, cout, 3, 1, leaky=False)
        self.stride = stride
        eye = None
        if stride != 1 or cin != cout:
            eye = torch.eye(cout, cin).reshape(cout, cin, 1, 1)
        self.register_buffer("eye", eye)

    def forward(self, x):
        y = self.conv2(self.conv1(x))
        if self.eye is not None:     # Darknet: from read every stride-th pixel
            x = F.conv2d(x, self.eye, stride=self.stride)
        return F.leaky_relu(y + x, 0.1)


class ResNet18(nn.Module):
    def __init__(self, div=1, classes=1000):
        super().__init__()
        widths = [64 // div, 128 // div, 256 // div, 512 // div]
        self.stem = ConvBN(3, widths[0], 7, 2)
        blocks, c = [], widths[0]
        for i, w in enumerate(widths):
            blocks += [BasicBlock(c, w, 1 if i == 0 else 2),
                       BasicBlock(w, w, 1)]
            c = w
        self.blocks = nn.Sequential(*blocks)
        self.pool, self.fc = classifier_head(c, classes)

    def forward(self, x):
        x = F.max_pool2d(self.stem(x), 2, 2)
        return softmax(self.fc(self.pool(self.blocks(x))))

    def darknet_layers(self):
        units = [self.stem]
        for b in self.blocks:
            units += [b.conv1, b.conv2]
        return units + [self.fc]


def seed_weights(model, seed):
    """PyTorch's default initialisation under seed, and batch-norm
    statistics away from the identity so that folding is exercised."""
    torch.manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            m.reset_parameters()
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 2.0)
    return model.eval()


def darknet_weights(model):
    """The model's weights as a Darknet .weights file (version 0.2): per
    layer biases, then scales, means and variances when normalised, then
    the kernel. The variance is rewritten so that Darknet's
    sqrt(var') + 1e-6 equals PyTorch's sqrt(var + eps)."""
    arrays = []
    for unit in model.darknet_layers():
        if isinstance(unit, ConvBN):
            bn = unit.bn
            std = np.sqrt(bn.running_var.double().numpy() + bn.eps)
            arrays += [bn.bias, bn.weight, bn.running_mean,
                       torch.from_numpy((std - DARKNET_BN_EPSILON) ** 2),
                       unit.conv.weight]
        else:
            arrays += [unit.bias, unit.weight]
    floats = np.concatenate([a.detach().double().numpy().reshape(-1)
                             for a in arrays]).astype("<f4")
    return struct.pack("<3iQ", 0, 2, 0, 0) + floats.tobytes()


def scaled_cfg(text, div, classes, size):
    """A sample cfg with every filters= divided by div, the last (the
    classifier) set to classes, and the input size set to size."""
    lines = text.splitlines()
    filters = [i for i, l in enumerate(lines) if re.match(r"filters\s*=", l)]
    for i in filters:
        n = int(lines[i].split("=")[1])
        lines[i] = "filters=%d" % (classes if i == filters[-1] else n // div)
    text = "\n".join(lines) + "\n"
    text = re.sub(r"(?m)^height\s*=.*$", "height=%d" % size, text)
    return re.sub(r"(?m)^width\s*=.*$", "width=%d" % size, text)


ARCHITECTURES = {"mobilenet_v1": MobileNetV1, "resnet18": ResNet18}
