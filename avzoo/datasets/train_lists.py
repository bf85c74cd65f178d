"""The training lists avzoo ships, by the names ``avzoo prepare`` and ``avzoo audit`` use.

The release lists are the public ones every release trains on; the ``_clean`` lists are them
minus every clip whose source video is in a shipped test benchmark (built by
``tools/build_clean_lists.py``, checksums in ``avzoo/annotations/SHA256SUMS``);
``vggsound144k_ssltie`` is SSL-TIE's own 144K list, built by its authors to avoid VGG-SS clips (it
still shares source videos with VGG-SS and AVSBench S4; ``vggsound144k_ssltie_clean`` drops them).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

from avzoo.datasets.annotations import annotation_path, read_id_list
from avzoo.datasets.clips import Clip, flickr_clip, vggsound_clip
from avzoo.utils.errors import AvzooError

ALIGNMENT_RELEASE = 'kaistmm/SSLalignment @e7ae3c5'
SSLTIE_RELEASE = 'jinxiang-liu/SSL-TIE @c49e6a9'


@dataclass(frozen=True)
class TrainList:
    """A shipped training list: its ``file`` under ``avzoo/annotations/``, the source the clips
    come from (``vggsound`` | ``flickr``), what it is and where it comes from."""
    name: str
    file: str
    source: str
    about: str
    origin: str

    @property
    def parse(self) -> Callable[[str], Clip]:
        return vggsound_clip if self.source == 'vggsound' else flickr_clip


_CLEAN = ('the release list minus every clip whose source video is in a shipped test benchmark '
          '(tools/build_clean_lists.py)')
TRAIN_LISTS: Dict[str, TrainList] = {t.name: t for t in (
    TrainList('vggsound144k', 'vggss_144k.txt', 'vggsound', 'VGGSound-144K, the list EZ-VSL, SLAVC, FNAC and the '
              'alignment release train on', f'{ALIGNMENT_RELEASE} metadata/vggss_144k.txt (= stoneMo/EZ-VSL\'s)'),
    TrainList('vggsound10k', 'vggss_10k.txt', 'vggsound', 'VGGSound-10K', f'{ALIGNMENT_RELEASE} metadata/vggss_10k.txt'),
    TrainList('vggsound_heard', 'vggss_heard.txt', 'vggsound', "VGGSound heard classes (EZ-VSL's open-set split)",
              f'{ALIGNMENT_RELEASE} metadata/vggss_heard.txt'),
    TrainList('flickr144k', 'flickr_144k.txt', 'flickr', 'Flickr-SoundNet-144K',
              f'{ALIGNMENT_RELEASE} metadata/flickr_144k.txt'),
    TrainList('flickr10k', 'flickr_10k.txt', 'flickr', 'Flickr-SoundNet-10K', f'{ALIGNMENT_RELEASE} metadata/flickr_10k.txt'),
    TrainList('vggsound144k_clean', 'vggss_144k_clean.txt', 'vggsound', 'VGGSound-144K, clean', _CLEAN),
    TrainList('vggsound10k_clean', 'vggss_10k_clean.txt', 'vggsound', 'VGGSound-10K, clean', _CLEAN),
    TrainList('flickr144k_clean', 'flickr_144k_clean.txt', 'flickr', 'Flickr-SoundNet-144K, clean', _CLEAN),
    TrainList('flickr10k_clean', 'flickr_10k_clean.txt', 'flickr', 'Flickr-SoundNet-10K, clean', _CLEAN),
    TrainList('vggsound_val', 'vggss_val.txt', 'vggsound', 'VGGSound validation: 1,000 clips in no 144K list and no '
              'test benchmark (the real configs validate on it)', 'avzoo: tools/build_clean_lists.py'),
    TrainList('vggsound144k_ssltie', 'vggss_144k_ssltie.txt', 'vggsound', "SSL-TIE's VGGSound-144K (no VGG-SS clip)",
              f'{SSLTIE_RELEASE} metadata/train_vggss_train_144k.txt'),
    TrainList('vggsound_val_ssltie', 'vggss_val_ssltie.txt', 'vggsound', 'VGGSound validation for SSL-TIE: the 706 clips '
              "of VGGSound-10K (clean) in neither 144K list (the release's, SSL-TIE's)", 'avzoo: tools/build_clean_lists.py'),
    TrainList('vggsound144k_ssltie_clean', 'vggss_144k_ssltie_clean.txt', 'vggsound', "SSL-TIE's VGGSound-144K, clean",
              _CLEAN),
)}
RELEASE_LISTS = ('vggsound144k', 'vggsound10k', 'flickr144k', 'flickr10k')


def train_list(name: str) -> TrainList:
    if name not in TRAIN_LISTS:
        raise AvzooError(f"unknown training list {name!r}; shipped: {', '.join(TRAIN_LISTS)}")
    return TRAIN_LISTS[name]


def list_name_of(id_list: Optional[str]) -> Optional[str]:
    """The shipped list's name for a config's ``id_list`` (``'vggss_144k.txt'`` -> ``'vggsound144k'``)."""
    if not id_list:
        return None
    base = os.path.basename(str(id_list))
    return next((t.name for t in TRAIN_LISTS.values() if t.file == base), None)


@functools.lru_cache(maxsize=None)
def train_ids(name: str) -> List[str]:
    return read_id_list(annotation_path(train_list(name).file))


@functools.lru_cache(maxsize=None)
def train_clips(name: str) -> frozenset:
    """Every clip of a shipped training list."""
    parse = train_list(name).parse
    return frozenset(parse(i) for i in train_ids(name))
