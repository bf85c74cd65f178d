"""The centre-prior floor on the real benchmarks, from their shipped annotations alone.

The centre prior ignores image and sound, so its score depends only on the ground truth: this
writes stand-in media (an 8x8 image, 0.1 s of silence) under every real file name of each
box-annotated benchmark and scores the floor with avzoo's evaluators. The numbers are the real
benchmarks' floor; the stand-in audio is shorter than the window, so every sample is counted in
``n_short``.

    python tools/real_floors.py [--media /tmp/avzoo-real-media] [--bench vggss is3 ...]
"""
import argparse
import json
import os
import time

import numpy as np
import soundfile as sf
from PIL import Image

BENCHES = ('vggss', 'vggss_ours', 'vggss_heard', 'vggss_unheard', 'is3', 'vpo_ss', 'vpo_ms', 's4', 'ms3')
COLUMNS = ('ciou', 'auc', 'ciou_adap', 'auc_adap', 'iiou', 'iauc', 'n', 'n_short')


def stand_in_media(bench: str, root: str) -> int:
    """Write a tiny frame and wav at every path the benchmark reads; returns the sample count."""
    from avzoo.registry import BENCHMARKS, DATASETS
    os.makedirs(root, exist_ok=True)
    spec = BENCHMARKS.get(bench)(root)['dataset']
    dataset = DATASETS.build(dict(spec, check_files=False))
    for item in dataset.items:
        for path, kind in ((item['frame'], 'frame'), (item['audio'], 'audio')):
            if os.path.isfile(path):
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if kind == 'frame':
                Image.new('RGB', (8, 8), (128, 128, 128)).save(path)
            else:
                sf.write(path, np.zeros(1600, np.float32), 16000)
    return len(dataset.items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--media', default='/tmp/avzoo-real-media')
    parser.add_argument('--bench', nargs='+', default=list(BENCHES))
    args = parser.parse_args()
    from mmengine.registry import init_default_scope

    import avzoo  # noqa: F401
    from avzoo.engine.config import load_config
    from avzoo.workflows.evaluate import evaluate
    from avzoo.zoo import get_method
    init_default_scope('avzoo')
    cfg = load_config(get_method('centre_prior').config('real'), work_dir=os.path.join(args.media, 'work'))
    cfg.log_level = 'WARNING'
    rows = {}
    for bench in args.bench:
        root = os.path.join(args.media, bench.split('_')[0] if bench.startswith('vggss') else bench)
        stand_in_media(bench, root)
        t0 = time.time()
        rows[bench] = evaluate(cfg, bench, None, root)
        rows[bench]['seconds'] = round(time.time() - t0, 1)
        print(json.dumps({bench: rows[bench]}), flush=True)
    print('| benchmark | ' + ' | '.join(COLUMNS) + ' |')
    print('|---|' + '---:|' * len(COLUMNS))
    for bench, m in rows.items():
        print(f'| {bench} | ' + ' | '.join(f'{m[k]:.2f}' if isinstance(m.get(k), float) else str(m.get(k, '-'))
                                           for k in COLUMNS) + ' |')


if __name__ == '__main__':
    main()
