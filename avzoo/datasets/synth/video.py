"""A video of avzoo-synth whose sound moves: an interactive image (two sounding objects) held
still while the first object's sound plays, then the second's. A map that follows the sound
moves from one object to the other (the video tests, docs/inference.md)."""
from __future__ import annotations

import json
import os
from typing import List, Sequence, Tuple

import numpy as np
import soundfile as sf
from PIL import Image

from avzoo.datasets.annotated import interactive_group
from avzoo.utils.errors import AvzooError


def interactive_groups(root: str) -> List[str]:
    """The interactive images of an avzoo-synth folder (``<class a>_<class b>_<n>``), sorted."""
    folder = os.path.join(root, 'test_interactive', 'visual_frames')
    if not os.path.isdir(folder):
        raise AvzooError(f'{root} holds no avzoo-synth interactive split (expected {folder})')
    return sorted({interactive_group(f) for f in os.listdir(folder)})


def interactive_scene(root: str, name: str) -> Tuple[np.ndarray, List[np.ndarray], List[Sequence[int]], int]:
    """An interactive image: the frame ``[H, W, 3]``, per sounding object its sound and box
    ``(x0, y0, x1, y1)`` in frame pixels, and the sample rate."""
    base = os.path.join(root, 'test_interactive')
    with open(os.path.join(base, 'synth_interactive_bbox.json')) as f:
        records = [r for r in json.load(f) if interactive_group(r['image']) == name]
    if len(records) != 2:
        raise AvzooError(f'{name}: expected 2 sounding objects in {base}, found {len(records)}')
    frame = np.asarray(Image.open(os.path.join(base, records[0]['image'])).convert('RGB'))
    sounds = [sf.read(os.path.join(base, r['audio']), dtype='float32') for r in records]
    return frame, [s for s, _ in sounds], [r['gt_box'] for r in records], sounds[0][1]


def moving_sound_video(root: str, name: str, out: str, fps: float = 10.0) -> Tuple[str, List[Sequence[int]], float]:
    """Write the video of interactive image ``name`` -> (``out``, the two boxes, the second at which
    the sound changes source)."""
    from avzoo.datasets.video import write_video
    frame, sounds, boxes, rate = interactive_scene(root, name)
    seconds = sum(len(s) for s in sounds) / rate
    frames = np.repeat(frame[None], int(round(seconds * fps)), 0)
    write_video(out, frames, fps, np.concatenate(sounds), rate)
    return out, boxes, len(sounds[0]) / rate
