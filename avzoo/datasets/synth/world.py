"""The avzoo-synth world: categories with a visual and an acoustic identity, scenes, sounds.

A category is ``<colour><shape>`` (no underscores, so IS3-style file stems group correctly):
a shape, a hue and a texture family (visual), and a pitch, harmonic envelope, amplitude
modulation, noise band and rhythm (acoustic). Instances vary scale, pose, aspect, colour and
pitch; scenes add textured backgrounds and silent distractors of other categories.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence, Tuple

import cv2
import numpy as np

SHAPES = ('circle', 'square', 'triangle', 'star', 'hexagon', 'cross', 'ring', 'diamond')
TEXTURES = ('solid', 'stripes', 'dots', 'checker')
# name -> OpenCV HSV (hue 0..179); a class's colour is jittered per instance
COLOURS = {'red': (0, 220, 210), 'orange': (14, 230, 240), 'yellow': (28, 220, 235),
           'lime': (40, 210, 220), 'green': (60, 220, 170), 'teal': (85, 210, 150),
           'cyan': (92, 200, 230), 'azure': (105, 190, 240), 'blue': (118, 230, 210),
           'indigo': (130, 200, 150), 'violet': (142, 170, 230), 'magenta': (155, 220, 220),
           'pink': (168, 120, 245), 'brown': (12, 200, 120), 'olive': (30, 200, 130),
           'navy': (118, 220, 110), 'white': (0, 20, 245), 'grey': (0, 10, 140),
           'coral': (5, 150, 250), 'mint': (75, 110, 235), 'plum': (150, 110, 150),
           'gold': (22, 255, 200), 'sky': (100, 110, 245), 'wine': (172, 200, 120)}
MAX_CLASSES = len(COLOURS)


@dataclass(frozen=True)
class Category:
    index: int
    name: str
    shape: str
    texture: str
    hsv: Tuple[int, int, int]      # OpenCV HSV: hue 0..179
    f0: float                      # fundamental (Hz)
    n_harmonics: int
    harmonic_decay: float
    am_rate: float                 # amplitude modulation (Hz), 0 = none
    noise_band: Tuple[float, float]  # (centre Hz, relative width)
    noise_level: float
    pulse_rate: float              # rhythm: on/off pulses per second, 0 = continuous


def make_categories(n_classes: int, sample_rate: int) -> List[Category]:
    """Deterministic category table; attributes are spread so that no two classes share all."""
    if not 2 <= n_classes <= MAX_CLASSES:
        raise ValueError(f'avzoo-synth supports 2..{MAX_CLASSES} classes, got {n_classes}')
    nyq = sample_rate / 2
    cats = []
    for c in range(n_classes):
        colour = list(COLOURS)[c]
        f0 = 140.0 * (nyq / 4 / 140.0) ** (((c * 5) % n_classes) / max(n_classes - 1, 1))
        cats.append(Category(
            index=c, name=f'{colour}{SHAPES[c % len(SHAPES)]}', shape=SHAPES[c % len(SHAPES)],
            texture=TEXTURES[(c // len(SHAPES) + c) % len(TEXTURES)], hsv=COLOURS[colour], f0=f0,
            n_harmonics=(1, 3, 6, 10)[c % 4], harmonic_decay=(0.4, 0.7, 0.9)[c % 3],
            am_rate=(0.0, 3.0, 7.0, 13.0)[(c // 2) % 4],
            noise_band=(nyq * (0.15 + 0.7 * ((c * 3) % n_classes) / n_classes), (0.1, 0.3)[c % 2]),
            noise_level=(0.0, 0.25, 0.6)[(c // 3) % 3], pulse_rate=(0.0, 2.0, 4.0, 0.0, 6.0)[c % 5]))
    return cats


# ---------------------------------------------------------------------------------------------
# visuals

def _polygon(shape: str, cx: float, cy: float, rx: float, ry: float, angle: float) -> np.ndarray:
    if shape == 'square':
        t = np.deg2rad([45, 135, 225, 315])
        pts = np.stack([np.cos(t), np.sin(t)], 1) * np.sqrt(2) / 1.2
    elif shape == 'triangle':
        t = np.deg2rad([-90, 30, 150])
        pts = np.stack([np.cos(t), np.sin(t)], 1)
    elif shape == 'diamond':
        pts = np.array([[0, -1], [0.65, 0], [0, 1], [-0.65, 0]], float)
    elif shape == 'hexagon':
        t = np.deg2rad(np.arange(6) * 60)
        pts = np.stack([np.cos(t), np.sin(t)], 1)
    elif shape == 'star':
        t = np.deg2rad(np.arange(10) * 36 - 90)
        r = np.where(np.arange(10) % 2 == 0, 1.0, 0.45)
        pts = np.stack([np.cos(t) * r, np.sin(t) * r], 1)
    elif shape == 'cross':
        a, b = 1.0, 0.33
        pts = np.array([[-b, -a], [b, -a], [b, -b], [a, -b], [a, b], [b, b], [b, a], [-b, a],
                        [-b, b], [-a, b], [-a, -b], [-b, -b]], float)
    else:
        raise ValueError(shape)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    pts = pts * [rx, ry] @ rot.T + [cx, cy]
    return np.round(pts).astype(np.int32)


def object_mask(shape: str, size: int, cx: float, cy: float, rx: float, ry: float,
                angle: float) -> np.ndarray:
    """Binary mask uint8 ``[size, size]`` of one object instance."""
    mask = np.zeros((size, size), np.uint8)
    c, axes, deg = (int(round(cx)), int(round(cy))), (int(round(rx)), int(round(ry))), float(np.rad2deg(angle))
    if shape == 'circle':
        cv2.ellipse(mask, c, axes, deg, 0, 360, 1, -1)
    elif shape == 'ring':
        cv2.ellipse(mask, c, axes, deg, 0, 360, 1, -1)
        inner = (max(int(rx * 0.55), 1), max(int(ry * 0.55), 1))
        cv2.ellipse(mask, c, inner, deg, 0, 360, 0, -1)
    else:
        cv2.fillPoly(mask, [_polygon(shape, cx, cy, rx, ry, angle)], 1)
    return mask


def texture_image(cat: Category, height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """RGB texture ``[height, width, 3]`` uint8 in the category's colours, jittered per instance."""
    h, s, v = cat.hsv
    h = int((h + rng.integers(-5, 6)) % 180)
    s = int(np.clip(s + rng.integers(-25, 26), 0, 255))
    v = int(np.clip(v + rng.integers(-30, 31), 40, 255))
    primary = cv2.cvtColor(np.uint8([[[h, s, v]]]), cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)
    secondary = primary * 0.45
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    period = rng.uniform(6, 12)
    if cat.texture == 'stripes':
        t = rng.uniform(0, np.pi)
        on = ((xx * np.cos(t) + yy * np.sin(t)) / period) % 2 < 1
    elif cat.texture == 'dots':
        on = ((xx % period - period / 2) ** 2 + (yy % period - period / 2) ** 2) > (period / 3.2) ** 2
    elif cat.texture == 'checker':
        on = ((xx // period) + (yy // period)) % 2 == 0
    else:
        on = np.ones((height, width), bool)
    img = np.where(on[..., None], primary, secondary)
    img += rng.standard_normal(img.shape, dtype=np.float32) * 6
    return np.clip(img, 0, 255).astype(np.uint8)


def background(size: int, rng: np.random.Generator) -> np.ndarray:
    """Muted low-frequency colour field plus fine grain and a few faint lines, RGB uint8."""
    coarse = rng.uniform(40, 200, (rng.integers(3, 7), rng.integers(3, 7), 3)).astype(np.float32)
    grey = coarse.mean(axis=2, keepdims=True)
    coarse = grey + 0.35 * (coarse - grey)
    img = cv2.resize(coarse, (size, size), interpolation=cv2.INTER_CUBIC)
    img += rng.standard_normal(img.shape, dtype=np.float32) * 10
    for _ in range(rng.integers(0, 5)):
        p1, p2 = rng.integers(0, size, 2), rng.integers(0, size, 2)
        colour = tuple(float(x) for x in rng.uniform(60, 190, 3))
        cv2.line(img, tuple(int(x) for x in p1), tuple(int(x) for x in p2), colour, int(rng.integers(1, 4)))
    return np.clip(img, 0, 255).astype(np.uint8)


def mask_box(mask: np.ndarray) -> List[int]:
    """Tight pixel box ``[xmin, ymin, xmax, ymax]`` (end-exclusive) of a binary mask."""
    ys, xs = np.nonzero(mask)
    return [int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1]


# ---------------------------------------------------------------------------------------------
# sounds

def category_sound(cat: Category, n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """One instance of a category's sound, float32 ``[n]`` with unit peak."""
    t = np.arange(n) / sample_rate
    f0 = cat.f0 * rng.uniform(0.96, 1.04)
    wave = np.zeros(n)
    for k in range(1, cat.n_harmonics + 1):
        if k * f0 >= sample_rate / 2 * 0.95:
            break
        wave += cat.harmonic_decay ** (k - 1) * np.sin(2 * np.pi * k * f0 * t + rng.uniform(0, 2 * np.pi))
    if cat.noise_level > 0:
        spec = np.fft.rfft(rng.normal(size=n))
        freqs = np.fft.rfftfreq(n, 1 / sample_rate)
        centre, width = cat.noise_band
        spec *= np.exp(-0.5 * ((freqs - centre) / (centre * width)) ** 2)
        band = np.fft.irfft(spec, n)
        wave = wave / (np.abs(wave).max() + 1e-8) + cat.noise_level * band / (np.abs(band).max() + 1e-8)
    if cat.am_rate > 0:
        rate = cat.am_rate * rng.uniform(0.9, 1.1)
        wave *= 0.6 + 0.4 * np.sin(2 * np.pi * rate * t + rng.uniform(0, 2 * np.pi))
    if cat.pulse_rate > 0:
        rate = cat.pulse_rate * rng.uniform(0.9, 1.1)
        phase = (t * rate + rng.uniform()) % 1.0
        wave *= np.clip(1.0 - phase / 0.55, 0.0, 1.0) ** 0.5
    return (wave / (np.abs(wave).max() + 1e-8)).astype(np.float32)


def mix_with_noise(sources: Sequence[np.ndarray], n: int, snr_db: float,
                   rng: np.random.Generator) -> np.ndarray:
    """Sum of ``n``-sample sources plus white noise at ``snr_db`` (noise alone when there are no
    sources), scaled to a random peak in [0.3, 0.8]."""
    signal = np.sum(sources, axis=0) if sources else np.zeros(n)
    power = float(np.mean(signal ** 2)) if sources else 1e-4
    noisy = signal + rng.normal(0, np.sqrt(power / 10 ** (snr_db / 10)), n)
    return (noisy / (np.abs(noisy).max() + 1e-8) * rng.uniform(0.3, 0.8)).astype(np.float32)
