"""The figure of docs/inference.md: frames of the overlay video that ``avzoo localize VIDEO`` makes
of a generated video (an avzoo-synth interactive image whose sound moves from one object to the
other), for a trained checkpoint and the centre floor side by side.

    python tools/inference_figure.py --checkpoint tests/test_apis/demo_alignment_synth.safetensors \
        --out docs/figures/inference/moving_sound.jpg
"""
from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np
from PIL import Image, ImageDraw

from avzoo.apis.runs import load_runs
from avzoo.apis.video import localize_video
from avzoo.datasets.synth import SynthConfig, generate
from avzoo.datasets.synth.video import interactive_groups, moving_sound_video


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--checkpoint', required=True, help='a synth checkpoint of the alignment method')
    parser.add_argument('--out', default='docs/figures/inference/moving_sound.jpg')
    parser.add_argument('--times', type=float, nargs='+', default=[0.5, 1.5, 2.5, 3.5])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, 'avzoo-synth')
        generate(root, SynthConfig.preset('tiny'), workers=2)
        name = interactive_groups(root)[0]
        video, _, change = moving_sound_video(root, name, os.path.join(tmp, 'moving_sound.mp4'))
        overlay = os.path.join(tmp, 'overlay.mp4')
        runs = load_runs([f'alignment={args.checkpoint}', 'centre_prior'], 'synth')
        result = localize_video(video, runs, overlay, progress=False)
        import imageio_ffmpeg
        reader = imageio_ffmpeg.read_frames(overlay)
        meta = next(reader)
        w, h = meta['size']
        frames = [np.frombuffer(raw, np.uint8).reshape(h, w, 3) for raw in reader]
    first, second = name.split('_')[:2]
    rows = []
    for t in args.times:
        frame = frames[int(round(t * result.fps))]
        label = Image.new('RGB', (190, h), 'white')
        sound = first if t + 0.5 <= change else second if t - 0.5 >= change else f'{first} + {second}'
        ImageDraw.Draw(label).text((6, h // 2 - 14), f't = {t:.2f} s\nsound: {sound}', fill='black')
        rows.append(np.concatenate([np.asarray(label), frame], axis=1))
    body = np.concatenate(rows, axis=0)
    canvas = Image.new('RGB', (body.shape[1], body.shape[0] + 36), 'white')
    canvas.paste(Image.fromarray(body), (0, 36))
    ImageDraw.Draw(canvas).text((6, 4), f'avzoo localize: a generated video, the {first} sounds, then the {second} '
                                         f'(from {change:g} s)\ncolumns: the demo checkpoint and the centre floor; '
                                         'colours min-max per frame, peak = (cos+1)/2', fill='black')
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    canvas.save(args.out, quality=85)
    print(f'{args.out}: {len(args.times)} frames of {result.n_frames} ({name})')


if __name__ == '__main__':
    main()
