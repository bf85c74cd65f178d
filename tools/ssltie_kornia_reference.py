"""Writes tests/test_models/ssltie_kornia_maps.pt: SSL-TIE's map transformation computed the release's way,
with kornia, for avzoo's test of its own batched version (tests/test_models/test_ssltie.py).

kornia is not an avzoo dependency; run this in an environment that has it, e.g.
    python -m venv /tmp/kv && /tmp/kv/bin/pip install torch kornia
    /tmp/kv/bin/python tools/ssltie_kornia_reference.py
The transformation is jinxiang-liu/SSL-TIE @c49e6a9 utils/tf_equivariance_loss.py L83-170 with the
draw (angles, scale, flip) given instead of drawn: rotation about (W/2, H/2) on a 224x224 canvas
(kornia.geometry.transform.get_rotation_matrix2d, warp_affine), resize to the scaled input size,
horizontal flip. Written with kornia 0.9.0.
"""
import os

import kornia
import torch
from kornia.geometry.transform import Hflip, Resize

CANVAS = (224, 224)
OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'tests', 'test_models',
                   'ssltie_kornia_maps.pt')


def release_transform(x: torch.Tensor, angles: torch.Tensor, scale: float, flip: bool) -> torch.Tensor:
    b = x.shape[0]
    center = torch.ones(b, 2)
    center[..., 0], center[..., 1] = CANVAS[1] / 2, CANVAS[0] / 2
    matrices = kornia.geometry.transform.get_rotation_matrix2d(center, angles.float(), torch.full((b, 2), scale))
    dsize = [int(item * scale) for item in x.size()[-2:]]
    if x.shape[2:] != CANVAS:
        x = Resize(CANVAS)(x)
    y = kornia.geometry.transform.warp_affine(x.float(), matrices, dsize=list(CANVAS))
    y = kornia.geometry.transform.resize(y, dsize)
    return Hflip()(y) if flip else y


def main() -> None:
    g = torch.Generator().manual_seed(0)
    cases = []
    for scale in (1.0, 0.5):
        for flip in (False, True):
            x = torch.randn(4, 1, 14, 14, generator=g)          # SSL-TIE's 14x14 cosine maps
            angles = torch.randint(-30, 31, (4,), generator=g)
            cases.append(dict(x=x, angles=angles, scale=scale, flip=flip, expected=release_transform(x, angles, scale, flip)))
    torch.save(dict(kornia=kornia.__version__, cases=cases), OUT)
    print(f'{OUT}: {len(cases)} cases, kornia {kornia.__version__}')


if __name__ == '__main__':
    main()
