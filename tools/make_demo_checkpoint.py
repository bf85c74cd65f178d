"""The trained synth checkpoint the video tests localise with: the model weights of the checkpoint
``avzoo demo`` writes (the alignment method, avzoo-synth default size, 5 epochs), floats stored
as float16 (2.2 MB instead of 4.5; the test checks where the peak falls, which rounding does not
move), with the demo's command, date and scores in the file's metadata.

    avzoo demo --data-root /tmp/demo/avzoo-synth --work-dir /tmp/demo/work
    python tools/make_demo_checkpoint.py /tmp/demo/work [tests/test_apis/demo_alignment_synth.safetensors]
"""
from __future__ import annotations

import json
import os
import sys

import torch
from safetensors.torch import save_file

from avzoo.utils.checkpoint import read_checkpoint
from avzoo.workflows.train import last_checkpoint

DEFAULT_OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'test_apis', 'demo_alignment_synth.safetensors')


def main(work_dir: str, out: str = DEFAULT_OUT) -> None:
    ckpt_path = last_checkpoint(os.path.join(work_dir, 'alignment'))
    results = json.load(open(os.path.join(work_dir, 'results.json')))
    state = read_checkpoint(ckpt_path)['state_dict']
    half = {k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in state.items()}
    scores = {b: {k: round(v, 1) for k, v in m.items() if k in ('ciou', 'auc', 'iiou', 'iauc')}
              for b, m in results['results']['alignment'].items()}
    meta = dict(config='alignment/alignment_small_1xb32-sup-nn-5e_synth.py', method='alignment',
                made_by='avzoo demo (default size, 5 epochs), then tools/make_demo_checkpoint.py; floats as float16',
                source=os.path.basename(ckpt_path), scores=json.dumps(scores))
    save_file(half, out, metadata=meta)
    print(f'{out}: {len(half)} tensors, {os.path.getsize(out) / 1e6:.1f} MB, from {ckpt_path}; demo scores {scores}')


if __name__ == '__main__':
    torch.set_grad_enabled(False)
    main(*sys.argv[1:])
