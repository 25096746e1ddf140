"""The MLPerf Tiny reference networks in PyTorch, written from the model
descriptions of the MLPerf Tiny benchmark repository (mlcommons/tiny,
benchmark/training/*/: keyword_spotting/keras_model.py,
visual_wake_words/vww_model.py, image_classification/keras_model.py,
anomaly_detection/keras_model.py), and a 1-D convolutional activity
recognition network, a network of 1x7 and 7x1 convolutions and a
ConvNeXt-style one of this project's own. They are the import's
reference suite with torchvision's mobile networks
(tools/export_torch_models.py --suite; tests/onnx/test_reference_nets.py).

Keras' padding='same' with stride 2 pads the end of an axis more than its
start (TensorFlow's rule); the networks here pad the same way (an explicit
F.pad before the convolution), so that the ONNX files show what an
exported Keras-trained model needs. Needs python3-torch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def same_pads(size, k, stride):
    """TensorFlow's padding='same' along one axis: (begin, end)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


class SameConvBN(nn.Module):
    """Conv2D(padding='same', use_bias=False), BatchNormalization, ReLU
    (relu=False: no activation)."""

    def __init__(self, cin, cout, k, stride, size, groups=1, relu=True):
        super().__init__()
        kh, kw = (k, k) if isinstance(k, int) else k
        sh, sw = (stride, stride) if isinstance(stride, int) else stride
        h, w = (size, size) if isinstance(size, int) else size
        top, bottom = same_pads(h, kh, sh)
        left, right = same_pads(w, kw, sw)
        # Symmetric: the convolution's own padding; else an explicit Pad.
        self.pads = None if len({left, right, top, bottom}) == 1 \
            else (left, right, top, bottom)
        self.conv = nn.Conv2d(cin, cout, (kh, kw), (sh, sw),
                              padding=0 if self.pads else top,
                              groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = relu
        self.out_size = (-(-h // sh), -(-w // sw))

    def forward(self, x):
        x = self.bn(self.conv(F.pad(x, self.pads) if self.pads else x))
        return F.relu(x) if self.relu else x


class DSCNN(nn.Module):
    """Keyword spotting, DS-CNN (keyword_spotting/keras_model.py): input
    49x10 MFCC; Conv2D 64 filters 10x4 stride 2, BN, ReLU; 4 blocks of
    DepthwiseConv2D 3x3 + BN + ReLU, Conv2D 64 1x1 + BN + ReLU; dropout;
    AveragePooling2D over the remaining 25x5; Dense 12, softmax."""
    INPUT_SHAPE = (1, 1, 49, 10)

    def __init__(self):
        super().__init__()
        first = SameConvBN(1, 64, (10, 4), 2, (49, 10))
        size = first.out_size
        units = [first]
        for _ in range(4):
            units += [SameConvBN(64, 64, 3, 1, size, groups=64),
                      SameConvBN(64, 64, 1, 1, size)]
        self.units = nn.Sequential(*units)
        self.dropout = nn.Dropout(0.4)
        self.pool = nn.AvgPool2d(size)
        self.fc = nn.Linear(64, 12)

    def forward(self, x):
        x = self.pool(self.dropout(self.units(x)))
        return F.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class VWWMobileNetV1(nn.Module):
    """Visual wake words (visual_wake_words/vww_model.py): MobileNet v1 at
    width 0.25 on 96x96x3: Conv2D 3x3 stride 2, then 13 depthwise
    separable pairs (depthwise 3x3 + BN + ReLU, pointwise 1x1 + BN + ReLU),
    AveragePooling2D over the 3x3 plane, Dense 2, softmax."""
    INPUT_SHAPE = (1, 3, 96, 96)
    PAIRS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
             (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2),
             (1024, 1)]

    def __init__(self, alpha=0.25, classes=2):
        super().__init__()
        c, size = int(32 * alpha), 96
        units = [SameConvBN(3, c, 3, 2, size)]
        size = units[-1].out_size[0]
        for out, stride in self.PAIRS:
            dw = SameConvBN(c, c, 3, stride, size, groups=c)
            size = dw.out_size[0]
            units += [dw, SameConvBN(c, int(out * alpha), 1, 1, size)]
            c = int(out * alpha)
        self.units = nn.Sequential(*units)
        self.pool = nn.AvgPool2d(size)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        x = torch.flatten(self.pool(self.units(x)), 1)
        return F.softmax(self.fc(x), dim=1)


class ResNet8(nn.Module):
    """Image classification (image_classification/keras_model.py,
    resnet_v1_eembc): 32x32x3; Conv2D 16 3x3 + BN + ReLU; three stacks of
    16, 32, 64 filters, each two 3x3 convolutions with BN (the first of
    stacks 2 and 3 with stride 2, their shortcut a 1x1 stride-2 Conv2D
    with bias), added, ReLU; AveragePooling2D 8x8; Dense 10, softmax."""
    INPUT_SHAPE = (1, 3, 32, 32)

    def __init__(self, classes=10):
        super().__init__()
        self.stem = SameConvBN(3, 16, 3, 1, 32)
        stacks, c, size = [], 16, 32
        for width in (16, 32, 64):
            stride = 1 if width == 16 else 2
            a = SameConvBN(c, width, 3, stride, size)
            size = a.out_size[0]
            b = SameConvBN(width, width, 3, 1, size, relu=False)
            skip = nn.Conv2d(c, width, 1, 2) if stride == 2 else nn.Identity()
            stacks.append(nn.ModuleList([a, b, skip]))
            c = width
        self.stacks = nn.ModuleList(stacks)
        self.pool = nn.AvgPool2d(8)
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.stem(x)
        for a, b, skip in self.stacks:
            x = F.relu(b(a(x)) + skip(x))
        x = torch.flatten(self.pool(x), 1)
        return F.softmax(self.fc(x), dim=1)


class AutoEncoder(nn.Module):
    """Anomaly detection (anomaly_detection/keras_model.py): 640 inputs
    (5 frames of 128 log-mel bands); Dense 128 + BN + ReLU four times,
    Dense 8 + BN + ReLU, Dense 128 + BN + ReLU four times, Dense 640."""
    INPUT_SHAPE = (1, 640)

    def __init__(self):
        super().__init__()
        widths = [640] + [128] * 4 + [8] + [128] * 4
        layers = []
        for cin, cout in zip(widths, widths[1:]):
            layers += [nn.Linear(cin, cout), nn.BatchNorm1d(cout), nn.ReLU()]
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(128, 640)

    def forward(self, x):
        return self.out(self.body(x))


class ActivityNet(nn.Module):
    """This project's activity recognition network (no MLPerf Tiny one):
    a 3-axis accelerometer window of 128 samples; Conv1d 16, 32, 64 (kernel
    5, 5, 3, 'same' padding) each with BN and ReLU, max pooling by 2 after
    the first two; global average pooling; Linear 6, softmax."""
    INPUT_SHAPE = (1, 3, 128)

    def __init__(self, classes=6):
        super().__init__()
        layers, c = [], 3
        for width, k, pool in ((16, 5, True), (32, 5, True), (64, 3, False)):
            layers += [nn.Conv1d(c, width, k, padding=k // 2),
                       nn.BatchNorm1d(width), nn.ReLU()]
            layers += [nn.MaxPool1d(2)] if pool else []
            c = width
        self.body = nn.Sequential(*layers)
        self.fc = nn.Linear(c, classes)

    def forward(self, x):
        x = F.adaptive_avg_pool1d(self.body(x), 1)
        return F.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class Factorised7(nn.Module):
    """This project's: 7x7 receptive fields factorised as 1x7 then 7x1
    convolutions (Inception v3's way), 32x32 images, 10 classes. A 3x3
    stride-2 stem; two residual blocks of Conv 1x7 + BN + ReLU, Conv 7x1 +
    BN, add, ReLU; global average pooling, Linear 10, softmax."""
    INPUT_SHAPE = (1, 3, 32, 32)

    def __init__(self, width=16, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 3, 2, 1, bias=False),
                                  nn.BatchNorm2d(width), nn.ReLU())
        self.blocks = nn.ModuleList(nn.Sequential(
            nn.Conv2d(width, width, (1, 7), padding=(0, 3), bias=False),
            nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, width, (7, 1), padding=(3, 0), bias=False),
            nn.BatchNorm2d(width)) for _ in range(2))
        self.fc = nn.Linear(width, classes)

    def forward(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = F.relu(block(x) + x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return F.softmax(self.fc(x), dim=1)


class LayerNorm2d(nn.Module):
    """LayerNorm over the channels of each pixel, written as ConvNeXt's
    LayerNorm(data_format="channels_first") is."""

    def __init__(self, c, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))
        self.eps = eps

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        x = (x - u) / torch.sqrt(s + self.eps)
        return self.weight[:, None, None] * x + self.bias[:, None, None]


class ConvNeXtBlock(nn.Module):
    """Depthwise 7x7, LayerNorm over channels, 1x1 expand by 4 with GELU,
    1x1 project, layer scale, residual add (ConvNeXt's block, with 1x1
    convolutions for its channels-last Linear layers)."""

    def __init__(self, c):
        super().__init__()
        self.dw = nn.Conv2d(c, c, 7, padding=3, groups=c)
        self.norm = LayerNorm2d(c)
        self.expand, self.project = nn.Conv2d(c, 4 * c, 1), \
            nn.Conv2d(4 * c, c, 1)
        self.scale = nn.Parameter(torch.full((c, 1, 1), 0.5))

    def forward(self, x):
        y = self.project(F.gelu(self.expand(self.norm(self.dw(x)))))
        return x + self.scale * y


class ConvNeXtNano(nn.Module):
    """This project's ConvNeXt-style network, 32x32 images, 10 classes: a
    4x4 stride-4 patchify stem and LayerNorm, two blocks of 24 channels, a
    2x2 stride-2 downsampling (LayerNorm, Conv) to 48 and two blocks;
    global average pooling, LayerNorm, Linear 10."""
    INPUT_SHAPE = (1, 3, 32, 32)

    def __init__(self, widths=(24, 48), classes=10):
        super().__init__()
        a, b = widths
        self.stem = nn.Sequential(nn.Conv2d(3, a, 4, 4), LayerNorm2d(a))
        self.stage1 = nn.Sequential(ConvNeXtBlock(a), ConvNeXtBlock(a))
        self.down = nn.Sequential(LayerNorm2d(a), nn.Conv2d(a, b, 2, 2))
        self.stage2 = nn.Sequential(ConvNeXtBlock(b), ConvNeXtBlock(b))
        self.norm = nn.LayerNorm(b)
        self.fc = nn.Linear(b, classes)

    def forward(self, x):
        x = self.stage2(self.down(self.stage1(self.stem(x))))
        return self.fc(self.norm(x.mean((2, 3))))


NETWORKS = {"kws_dscnn": DSCNN, "vww_mobilenet_v1": VWWMobileNetV1,
            "ic_resnet8": ResNet8, "ad_autoencoder": AutoEncoder,
            "har_conv1d": ActivityNet, "ic_factorised7": Factorised7,
            "ic_convnext": ConvNeXtNano}
