"""Build the protocol files avzoo ships (run from the repository root; deterministic):

- ``vggss_common.txt``: the VGG-SS clips in every named subset (vggss.json's 5,158, the alignment
  release's 4,655, SSL-TIE's 4,911, SSPL's 4,692, HearTheFlow's 4,670), in vggss.json's order;
- ``<list>_clean.txt`` for vggsound144k, vggsound10k, flickr144k, flickr10k and SSL-TIE's
  vggsound144k_ssltie: the list, in its order, minus every id whose source video is in a shipped test
  benchmark (every real benchmark whose names carry a source video: VGG-SS and its subsets and
  extension, Flickr, AVSBench S4 / MS3);
- ``vggss_val.txt``: the validation clips of the real VGGSound configs: the first 1,000 clips of
  ``vggss_10k_clean.txt`` that are not in ``vggss_144k.txt`` (so in no release or clean 144K list and in
  no test benchmark);
- ``vggss_val_ssltie.txt``: the same rule, also outside SSL-TIE's own 144K list (781 of
  ``vggss_val.txt``'s clips are in it), for SSL-TIE's configs: only 706 clips qualify;
- ``SHA256SUMS`` over every annotation file.

``--check`` writes nothing and exits 1 when a shipped file differs from what this script builds.

    python tools/build_clean_lists.py [--check]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys

from avzoo.datasets import test_sets
from avzoo.datasets.annotations import ANNOTATION_DIR
from avzoo.datasets.benchmarks import benchmark_info
from avzoo.datasets.clips import clip_keys, videos
from avzoo.datasets.train_lists import RELEASE_LISTS, train_ids, train_list
from avzoo.protocol.audit import real_benchmarks

VAL_SIZE = 1000          # avzoo's choice: enough for a stable R@1, cheap to score every epoch
COMMON_SOURCES = (None, 'ours_vggss.txt', 'vggss_test_4911_ssltie.txt', 'vggss_test_4692_sspl.csv',
                  'vggss_test_4670_heartheflow.csv')


def common_clips() -> str:
    keep = set(test_sets.vggss_files())
    for id_list in COMMON_SOURCES[1:]:
        keep &= set(test_sets.vggss_files(id_list))
    return ''.join(f + '\n' for f in test_sets.vggss_files() if f in keep)


def test_videos() -> frozenset:
    benches = [b for b in real_benchmarks() if b != 'vggss_common' and benchmark_info(b).samples is not None]
    return videos(clip_keys(s for b in benches for s in benchmark_info(b).samples()))


def clean_list(name: str, banned: frozenset) -> str:
    parse = train_list(name).parse
    return ''.join(i + '\n' for i in train_ids(name) if parse(i).video not in banned)


def val_list(clean_10k: str, *train_lists: str) -> str:
    """The first ``VAL_SIZE`` clips of the clean 10K list (its text) in none of ``train_lists``."""
    banned = set().union(*(train_ids(name) for name in train_lists))
    return ''.join(i + '\n' for i in [i for i in clean_10k.splitlines() if i not in banned][:VAL_SIZE])


def sha256sums(files: dict) -> str:
    names = sorted(f for f in os.listdir(ANNOTATION_DIR) if f not in ('SHA256SUMS', '__init__.py')
                   and not f.startswith('.') and os.path.isfile(os.path.join(ANNOTATION_DIR, f)))
    names = sorted(set(names) | set(files))
    lines = []
    for n in names:
        data = files[n].encode() if n in files else open(os.path.join(ANNOTATION_DIR, n), 'rb').read()
        lines.append(f'{hashlib.sha256(data).hexdigest()}  {n}\n')
    return ''.join(lines)


def build() -> dict:
    files = {'vggss_common.txt': common_clips()}
    banned = test_videos()
    for name in RELEASE_LISTS + ('vggsound144k_ssltie',):
        files[train_list(name + '_clean').file] = clean_list(name, banned)
    files['vggss_val.txt'] = val_list(files['vggss_10k_clean.txt'], 'vggsound144k')
    files['vggss_val_ssltie.txt'] = val_list(files['vggss_10k_clean.txt'], 'vggsound144k', 'vggsound144k_ssltie')
    files['SHA256SUMS'] = sha256sums(files)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='compare with the shipped files, write nothing')
    args = parser.parse_args()
    stale = []
    for name, text in build().items():
        path = os.path.join(ANNOTATION_DIR, name)
        current = open(path).read() if os.path.isfile(path) else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            with open(path + '.partial', 'w') as f:
                f.write(text)
            os.replace(path + '.partial', path)
        print(f'{"differs" if args.check else "wrote"}: {name} ({text.count(chr(10))} lines)')
    return 1 if args.check and stale else 0


if __name__ == '__main__':
    sys.exit(main())
