"""A small PyTorch model that uses every operator onnx2tlm maps, for the
equivalence test the repository keeps (tests/onnx/models/ops.*): each
line of forward() names what it becomes in S-Tinylib. Needs python3-torch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SHAPE = (1, 3, 13, 13)


class OpsModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn_alone = nn.BatchNorm2d(8)
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8)
        self.grouped = nn.Conv2d(8, 8, 1, groups=2)
        self.mix = nn.Conv2d(40, 4, 1)
        self.w = nn.Parameter(torch.randn(64, 16) * 0.2)
        self.b = nn.Parameter(torch.randn(16) * 0.1)
        self.bn_fc = nn.BatchNorm1d(16)
        self.fc = nn.Linear(20, 10)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):                               # 3x13x13
        a = torch.sigmoid(self.conv(x))                 # conv, logistic
        p = F.max_pool2d(a, 3, 2, padding=1)            # maxpool P=2, 8x7x7
        p = self.bn_alone(p)                            # 1x1 depthwise
        q = F.max_pool2d(p, 2, 2, ceil_mode=True)       # maxpool P=1, 8x4x4
        r = torch.tanh(self.depthwise(q))               # depthwise, tanh
        s = F.hardswish(self.grouped(r))                # grouped, hardswish
        t = F.relu6(s + q)                              # shortcut, relu6
        u = F.avg_pool2d(t, 3, 1, padding=1)            # Pad + AveragePool
        v = F.avg_pool2d(t, 2, 2)                       # AveragePool: conv
        w = F.interpolate(v, scale_factor=2.0)          # upsample (nearest)
        leaky = F.leaky_relu(u, 0.1)                    # activation layer
        cat = torch.cat([u, w, t, q, leaky], 1)         # two routes
        y = self.mix(self.dropout(cat))                 # conv 1x1, 4x4x4
        h = F.avg_pool2d(y, 4).flatten(1)               # global avgpool
        z = y.reshape(1, -1) @ self.w + self.b          # MatMul + Add
        z = F.relu(self.bn_fc(z))                       # folded, relu
        z = self.fc(torch.cat([z, h], 1))               # route, Gemm
        return F.softmax(z, dim=1)                      # softmax
