"""What train/test overlap is worth, measured on avzoo-synth (docs/protocol.md, the model cards).

For each method, two runs on the same budget (same number of training clips, steps and epochs):

- clean: the avzoo-synth training list (its 4,000 clips at the default size);
- leaky: the same list without its last N clips, plus the N clips of the ``test_single`` split
  (N = its size, 500 at the default size): every test clip is seen in training, as 72 % of VGG-SS
  is inside VGGSound-144K.

Both are scored on ``synth_single`` (the leaked split) and ``synth_interactive`` (a split neither
run saw), and each result carries its protocol block (the leaky one says 500 / 500 overlap).

    python tools/leakage.py --data-root data/avzoo-synth --out work_dirs/leakage [--methods alignment ezvsl]
    python tools/leakage.py --write-docs work_dirs/leakage work_dirs/leakage_seed1   # the docs' and cards' table
"""
from __future__ import annotations

import argparse
import json
import os
import time

import avzoo  # noqa: F401  (registration)
from avzoo.engine.config import load_config, set_epochs
from avzoo.protocol.provenance import protocol_block
from avzoo.workflows.evaluate import evaluate
from avzoo.workflows.train import last_checkpoint, train
from avzoo.zoo import aliases, get_method, label

BENCHES = ('synth_single', 'synth_interactive')
KEYS = {'synth_single': ('ciou', 'auc'), 'synth_interactive': ('ciou', 'iiou')}


def leaky(cfg, data_root: str) -> None:
    """Swap the last N training clips for the N clips of test_single (same budget)."""
    from avzoo.datasets.annotations import read_json_records
    n = len(read_json_records(os.path.join(data_root, 'test_single', 'synth_single.json'), ('file',)))
    ds = cfg.train_dataloader.dataset
    ds.drop_last_n = n
    ds.extra_lists = [dict(data_root=os.path.join(data_root, 'test_single'), id_list='synth_single.json')]


def run(method: str, variant: str, data_root: str, out: str, epochs, options) -> dict:
    cfg = load_config(get_method(method).config('synth'), options, data_root=data_root,
                      work_dir=os.path.join(out, f'{method}_{variant}'))
    if epochs:
        set_epochs(cfg, epochs)
    if variant == 'leaky':
        leaky(cfg, data_root)
    t0 = time.time()
    if not os.path.isfile(os.path.join(cfg.work_dir, 'last_checkpoint')):
        train(cfg)
    ckpt = last_checkpoint(cfg.work_dir)
    seconds = time.time() - t0
    results = {}
    for bench in BENCHES:
        metrics = evaluate(cfg, bench, ckpt, data_root)
        results[bench] = dict(metrics=metrics, protocol=protocol_block(bench, metrics, ckpt))
    return dict(method=method, variant=variant, checkpoint=ckpt, train_seconds=round(seconds), results=results)




def table(rows) -> str:
    """Markdown: one row per run (with a ``run`` column when the rows name the folder they come
    from), each with its overlap as its protocol block states it."""
    with_run = any('folder' in r for r in rows)
    lines = ['| method |' + (' run |' if with_run else '') + ' training set | test clips in training | '
             'synth_single cIoU | AUC | synth_interactive IIoU | IAUC |',
             '|---|' + ('---|' if with_run else '') + '---|---:|---:|---:|---:|---:|']
    for r in rows:
        s, i = r['results']['synth_single'], r['results']['synth_interactive']
        ov = s['protocol']['training']['overlap']
        run = f" `{r['folder']}` |" if with_run else ''
        lines.append(f"| {label(r['method'])} |{run} {r['variant']} | "
                     f"{ov['clips']} / {s['protocol']['test_subset']['n_ids']} | {s['metrics']['ciou']:.1f} | "
                     f"{s['metrics']['auc']:.1f} | {i['metrics']['iiou']:.1f} | {i['metrics']['iauc']:.1f} |")
    return '\n'.join(lines)


def combined_table(folders, methods=None) -> str:
    """Every run of every folder (one seed each), clean and leaky side by side."""
    rows = []
    names = aliases()                 # runs recorded under a method's former name (ours -> alignment)
    for folder in folders:
        with open(os.path.join(folder, 'leakage.json')) as f:
            rows += [dict(r, folder=folder, method=names.get(r['method'], r['method'])) for r in json.load(f)]
    rows = [r for r in rows if not methods or r['method'] in methods]
    return table(sorted(rows, key=lambda r: (r['method'] != 'alignment', r['folder'], r['variant'])))


def write_docs(folders) -> None:
    """The table into docs/protocol.md and the two cards (between <!-- leakage:start/end -->)."""
    from avzoo.utils.io import write_marked_block
    write_marked_block('docs/protocol.md', 'leakage', combined_table(folders), 'leakage table')
    write_marked_block('avzoo/configs/alignment/README.md', 'leakage', combined_table(folders, ['alignment']), 'leakage table')
    write_marked_block('avzoo/configs/ezvsl/README.md', 'leakage', combined_table(folders, ['ezvsl']), 'leakage table')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--write-docs', nargs='+', metavar='OUT', help='write the table of these runs into the docs')
    parser.add_argument('--data-root', default='data/avzoo-synth')
    parser.add_argument('--out', default='work_dirs/leakage')
    parser.add_argument('--methods', nargs='+', default=['alignment', 'ezvsl'])
    parser.add_argument('--epochs', type=int, default=None)
    parser.add_argument('--cfg-options', nargs='*', default=[])
    args = parser.parse_args()
    if args.write_docs:
        write_docs(args.write_docs)
        return
    rows = [run(m, v, args.data_root, args.out, args.epochs, args.cfg_options)
            for m in args.methods for v in ('clean', 'leaky')]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, 'leakage.json'), 'w') as f:
        json.dump(rows, f, indent=1)
    text = table(rows) + '\n'
    with open(os.path.join(args.out, 'leakage.md'), 'w') as f:
        f.write(text)
    print(text)


if __name__ == '__main__':
    main()
