"""Small mobile networks of this project's own, written the way PyTorch
users write them (the modules and idioms of torchvision's definitions, at
a few percent of their width, on 64x64 images): MobileNet v2 (inverted
residuals, relu6), MobileNet v3 (hardswish, squeeze-and-excitation gated
by a hardsigmoid), ShuffleNet v2 (channel split with x.chunk and channel
shuffle with view, transpose and view) and EfficientNet-lite (inverted
residuals with 3x3 and 5x5 depthwise convolutions, relu6, no
squeeze-and-excitation), and a network that normalises its input itself
((x - mean) / std with torchvision's ImageNet constants) and gates its
channels as the SENet paper's code does (Linear layers, view(b, c, 1, 1)
and expand_as). They are in the import's reference suite
(tools/export_torch_models.py --suite; tests/onnx/test_reference_nets.py)
with torchvision's networks and those of torch_mlperf.py. Needs
python3-torch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 64           # input height and width
CLASSES = 10


def conv_bn(cin, cout, k=1, stride=1, groups=1, act=nn.ReLU6):
    """Conv (padding k // 2, no bias), BatchNorm and the activation act
    (None: linear), as torchvision's Conv2dNormActivation."""
    layers = [nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups,
                        bias=False), nn.BatchNorm2d(cout)]
    return nn.Sequential(*(layers + ([act()] if act else [])))


class InvertedResidual(nn.Module):
    """MobileNet v2's block, EfficientNet-lite's MBConv without SE: 1x1
    expansion by t (none when t is 1), depthwise k x k with the stride,
    linear 1x1 projection; the input added when the shape is kept."""

    def __init__(self, cin, cout, stride, t, k=3, se=None, act=nn.ReLU6):
        super().__init__()
        mid = cin * t
        layers = [conv_bn(cin, mid, act=act)] if t != 1 else []
        layers.append(conv_bn(mid, mid, k, stride, groups=mid, act=act))
        layers += [se(mid)] if se else []
        layers.append(conv_bn(mid, cout, act=None))
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.block(x)
        return x + y if self.residual else y


class MobileNetV2(nn.Module):
    """Stem 3x3 stride 2, inverted residuals (t, c, n, s) as torchvision's
    table at width 0.25, 1x1 to 160 channels, global average pooling,
    dropout, Linear."""
    INPUT_SHAPE = (1, 3, SIZE, SIZE)
    SETTINGS = [(1, 8, 1, 1), (6, 8, 2, 2), (6, 8, 2, 2), (6, 16, 2, 2),
                (6, 24, 1, 1), (6, 40, 2, 2), (6, 80, 1, 1)]

    def __init__(self):
        super().__init__()
        layers, c = [conv_bn(3, 8, 3, 2)], 8
        for t, out, n, s in self.SETTINGS:
            for i in range(n):
                layers.append(InvertedResidual(c, out, s if i == 0 else 1,
                                               t))
                c = out
        layers.append(conv_bn(c, 160))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2),
                                        nn.Linear(160, CLASSES))

    def forward(self, x):
        x = F.adaptive_avg_pool2d(self.features(x), (1, 1))
        return self.classifier(torch.flatten(x, 1))


class SqueezeExcitation(nn.Module):
    """MobileNet v3's: AdaptiveAvgPool2d(1), 1x1 conv, ReLU, 1x1 conv,
    Hardsigmoid, and the input times that gate per channel."""

    def __init__(self, c, squeeze=4):
        super().__init__()
        mid = max(8, c // squeeze)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1, self.fc2 = nn.Conv2d(c, mid, 1), nn.Conv2d(mid, c, 1)
        self.relu, self.gate = nn.ReLU(), nn.Hardsigmoid()

    def forward(self, x):
        return x * self.gate(self.fc2(self.relu(self.fc1(self.pool(x)))))


class MobileNetV3(nn.Module):
    """Stem 3x3 stride 2 with hardswish; blocks (k, t, c, SE, activation,
    s) as MobileNet v3 small's table at width 0.5 (relu in the first,
    hardswish in the later ones, relu6 in one); 1x1 to 96 channels with
    hardswish, global pooling, Linear, hardswish, dropout, Linear."""
    INPUT_SHAPE = (1, 3, SIZE, SIZE)
    SETTINGS = [(3, 1, 8, True, nn.ReLU, 2), (3, 4, 16, False, nn.ReLU6, 2),
                (3, 3, 16, False, nn.ReLU, 1),
                (5, 4, 24, True, nn.Hardswish, 2),
                (5, 6, 24, True, nn.Hardswish, 1),
                (5, 3, 32, True, nn.Hardswish, 1),
                (5, 6, 48, True, nn.Hardswish, 2)]

    def __init__(self):
        super().__init__()
        layers, c = [conv_bn(3, 8, 3, 2, act=nn.Hardswish)], 8
        for k, t, out, se, act, s in self.SETTINGS:
            layers.append(InvertedResidual(
                c, out, s, t, k, SqueezeExcitation if se else None, act))
            c = out
        layers.append(conv_bn(c, 96, act=nn.Hardswish))
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(
            nn.Linear(96, 128), nn.Hardswish(), nn.Dropout(0.2),
            nn.Linear(128, CLASSES))

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.features(x)),
                                             1))


def channel_shuffle(x, groups):
    """torchvision's: view (b, g, c/g, h, w), transpose, view back."""
    b, c, h, w = x.size()
    x = x.view(b, groups, c // groups, h, w)
    x = torch.transpose(x, 1, 2).contiguous()
    return x.view(b, -1, h, w)


class ShuffleUnit(nn.Module):
    """ShuffleNet v2's unit. Stride 1: half the channels (x.chunk) through
    1x1, depthwise 3x3, 1x1, concatenated with the other half. Stride 2:
    both branches downsample (depthwise 3x3 stride 2 and 1x1 on the
    input; 1x1, depthwise 3x3 stride 2, 1x1). Then the channel shuffle."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        half = cout // 2
        self.stride = stride
        if stride == 2:
            self.branch1 = nn.Sequential(
                conv_bn(cin, cin, 3, 2, groups=cin, act=None),
                conv_bn(cin, half, act=nn.ReLU))
        inner = cin if stride == 2 else half
        self.branch2 = nn.Sequential(
            conv_bn(inner, half, act=nn.ReLU),
            conv_bn(half, half, 3, stride, groups=half, act=None),
            conv_bn(half, half, act=nn.ReLU))

    def forward(self, x):
        if self.stride == 1:
            x1, x2 = x.chunk(2, dim=1)
            out = torch.cat((x1, self.branch2(x2)), dim=1)
        else:
            out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
        return channel_shuffle(out, 2)


class ShuffleNetV2(nn.Module):
    """Stem 3x3 stride 2 and maxpool 3x3 stride 2; stages of 2, 3 and 2
    units to 24, 48 and 96 channels (torchvision's shufflenet_v2_x0_5 at
    half its width); 1x1 to 256 channels, x.mean([2, 3]), Linear."""
    INPUT_SHAPE = (1, 3, SIZE, SIZE)
    STAGES = [(24, 2), (48, 3), (96, 2)]

    def __init__(self):
        super().__init__()
        self.conv1 = conv_bn(3, 12, 3, 2, act=nn.ReLU)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        units, c = [], 12
        for out, n in self.STAGES:
            for i in range(n):
                units.append(ShuffleUnit(c, out, 2 if i == 0 else 1))
                c = out
        self.stages = nn.Sequential(*units)
        self.conv5 = conv_bn(c, 256, act=nn.ReLU)
        self.fc = nn.Linear(256, CLASSES)

    def forward(self, x):
        x = self.conv5(self.stages(self.maxpool(self.conv1(x))))
        return self.fc(x.mean([2, 3]))


class EfficientNetLite(nn.Module):
    """EfficientNet-lite0's layout at width 0.25: stem 3x3 stride 2 (32
    channels kept, as lite does), MBConv blocks (t, k, s, c, n) with 3x3
    and 5x5 depthwise kernels, relu6, no squeeze-and-excitation; 1x1 to
    320 channels (lite's fixed head at width 0.25), pooling, dropout,
    Linear."""
    INPUT_SHAPE = (1, 3, SIZE, SIZE)
    SETTINGS = [(1, 3, 1, 8, 1), (6, 3, 2, 8, 2), (6, 5, 2, 12, 2),
                (6, 3, 2, 20, 3), (6, 5, 1, 28, 3), (6, 5, 2, 48, 4),
                (6, 3, 1, 80, 1)]

    def __init__(self):
        super().__init__()
        layers, c = [conv_bn(3, 32, 3, 2)], 32
        for t, k, s, out, n in self.SETTINGS:
            for i in range(n):
                layers.append(InvertedResidual(c, out, s if i == 0 else 1,
                                               t, k))
                c = out
        layers.append(conv_bn(c, 320))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(320, CLASSES)

    def forward(self, x):
        x = torch.flatten(self.avgpool(self.features(x)), 1)
        return self.fc(self.dropout(x))


class SELayer(nn.Module):
    """The SENet paper's code: average pool, view (b, c), Linear, ReLU,
    Linear, Sigmoid, view (b, c, 1, 1), x * y.expand_as(x)."""

    def __init__(self, c, reduction=4):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Sequential(nn.Linear(c, c // reduction), nn.ReLU(),
                                nn.Linear(c // reduction, c), nn.Sigmoid())

    def forward(self, x):
        b, c, _, _ = x.size()
        y = self.avg_pool(x).view(b, c)
        y = self.fc(y).view(b, c, 1, 1)
        return x * y.expand_as(x)


class SEBlock(nn.Module):
    """Two 3x3 convolutions with BN, the SE gate, the input added (through
    a strided 1x1 projection when the shape changes), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, cout, 3, stride, act=nn.ReLU),
                                  conv_bn(cout, cout, 3, act=None),
                                  SELayer(cout))
        self.skip = nn.Identity() if stride == 1 and cin == cout else \
            conv_bn(cin, cout, 1, stride, act=None)

    def forward(self, x):
        return F.relu(self.body(x) + self.skip(x))


class Normalise(nn.Module):
    """(x - mean) / std per channel, torchvision's ImageNet constants as
    buffers: the normalisation of transforms.Normalize inside the model."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(
            [0.485, 0.456, 0.406]).view(3, 1, 1))
        self.register_buffer("std", torch.tensor(
            [0.229, 0.224, 0.225]).view(3, 1, 1))

    def forward(self, x):
        return (x - self.mean) / self.std


class NormalisedSENet(nn.Module):
    """Takes the image as it is (values in [0, 1]) and normalises it
    itself, (x - mean) / std per channel with torchvision's ImageNet
    constants; a 3x3 stem, three SE blocks (16, 32 and 48 channels, the
    later two stride 2), global pooling, x.view(x.size(0), -1), Linear;
    32x32 images."""
    INPUT_SHAPE = (1, 3, 32, 32)

    def __init__(self):
        super().__init__()
        self.normalise = Normalise()
        self.stem = conv_bn(3, 16, 3, act=nn.ReLU)
        self.blocks = nn.Sequential(SEBlock(16, 16, 1), SEBlock(16, 32, 2),
                                    SEBlock(32, 48, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(48, CLASSES)

    def forward(self, x):
        x = self.blocks(self.stem(self.normalise(x)))
        x = self.pool(x)
        return self.fc(x.view(x.size(0), -1))


NETWORKS = {"mini_mobilenet_v2": MobileNetV2,
            "mini_mobilenet_v3": MobileNetV3,
            "mini_shufflenet_v2": ShuffleNetV2,
            "mini_efficientnet_lite": EfficientNetLite,
            "mini_se_normalised": NormalisedSENet}
