"""How a run picks the checkpoint it reports: the config's ``selection`` entry.

- ``dict(rule='last')`` (avzoo's default): the last epoch; validation, if any, is only watched.
- ``dict(rule='best', metric=KEY, on='val')``: the best validation ``KEY`` (``greater`` unless
  ``less=True``) on the config's validation split, which must be disjoint from every test
  benchmark (a held-out list such as ``vggsound_val``, or avzoo-synth's ``pretrain`` split).
- ``dict(rule='best', metric=KEY, on='test:NAME')``: the releases' rule (EZ-VSL, SLAVC, FNAC, SSPL,
  HearTheFlow, SSL-TIE keep the checkpoint with the best *test* score), only when asked for by
  the test benchmark's name, and recorded as test-set selection in every result.

A ``best`` rule whose validation split is a test benchmark but is not named so is an error.
"""
from __future__ import annotations

import os
from typing import Optional

from avzoo.utils.errors import AvzooError

TEST_DATASETS = ('VGGSSDataset', 'FlickrDataset', 'InteractiveDataset', 'ExtendedDataset', 'NegativeAudioDataset')
TEST_LISTS = ('synth_retrieval.txt',)


def is_test_split(dataset: Optional[dict]) -> bool:
    """Whether a validation dataset config reads a test benchmark (annotated test data)."""
    if not dataset:
        return False
    return dataset.get('type') in TEST_DATASETS or str(dataset.get('id_list', '')).endswith(TEST_LISTS)


def selection_rule(cfg) -> dict:
    """The config's ``selection``, checked: ``{rule, metric, on, less, test_set, about}``."""
    sel = dict(cfg.get('selection') or dict(rule='last'))
    rule = sel.get('rule', 'last')
    val = (cfg.get('val_dataloader') or {}).get('dataset')
    if rule == 'last':
        watched = ('; validation is watched only' if val else '')
        return dict(rule='last', metric=None, on=None, less=False, test_set=False,
                    about='last epoch' + watched)
    if rule != 'best':
        raise AvzooError(f"selection.rule={rule!r}; expected 'last' or 'best' (docs/protocol.md)")
    metric, on = sel.get('metric'), str(sel.get('on', 'val'))
    if not metric:
        raise AvzooError("selection=dict(rule='best') needs metric=KEY (a validation metric, e.g. 'r1_a2i')")
    if not val:
        raise AvzooError("selection=dict(rule='best'): the config has no val_dataloader to select on")
    test_set = is_test_split(val)
    if test_set and not on.startswith('test:'):
        raise AvzooError(f"selection=dict(rule='best', on={on!r}): the validation split ({val.get('type')}) is a test "
                         f"benchmark. Select on a split disjoint from the test set, keep the last epoch "
                         f"(rule='last'), or, to reproduce a release, name it: on='test:<benchmark>'")
    if on.startswith('test:') and not test_set:
        raise AvzooError(f"selection.on={on!r} names a test benchmark but the validation split "
                         f"({val.get('type')}) is not one")
    less = bool(sel.get('less', False))
    where = f'the test benchmark {on[5:]} (test-set selection)' if test_set else 'the validation split'
    return dict(rule='best', metric=str(metric), on=on, less=less, test_set=test_set,
                about=f"best {metric} ({'lowest' if less else 'highest'}) on {where}")


def _val_clips_present(dataset: dict) -> int:
    """How many clips of a validation split have every media file there."""
    from avzoo.registry import DATASETS
    root = dataset.get('data_root')
    if not root or not os.path.isdir(root):
        return 0
    try:
        split = DATASETS.build(dict(dataset, check_files=False))
    except AvzooError:
        return 0
    return sum(all(os.path.isfile(p) for p in split.media_paths(it)) for it in split.items)


def apply_selection(cfg) -> None:
    """Set the checkpoint hook for the rule (``best`` keeps ``best_<metric>_epoch_N.pth``). A
    config without a validation split gets no validation loop; a watched split (rule ``last``)
    whose media are all absent is dropped with a warning saying how to add it, a split the rule
    selects on must be there."""
    val = (cfg.get('val_dataloader') or {}).get('dataset')
    if val and not is_test_split(val):
        if _val_clips_present(val) == 0:
            where = f"{val.get('id_list')} under {val.get('data_root')}"
            if (cfg.get('selection') or {}).get('rule', 'last') != 'last':
                raise AvzooError(f'the validation split ({where}) has no media; the selection rule needs it '
                                 f'(`avzoo prepare vggsound_val --out DIR` writes the real one)')
            from mmengine.logging import print_log
            print_log(f'no validation: none of the clips of {where} is there (avzoo keeps the last epoch either '
                      f'way; `avzoo prepare vggsound_val --videos V --out <data_root>` adds the watched split)',
                      logger='current', level=30)
            cfg.val_dataloader = None
    if not cfg.get('val_dataloader'):
        cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    sel = selection_rule(cfg)
    hook = (cfg.get('default_hooks') or {}).get('checkpoint')
    if sel['rule'] == 'best' and hook is not None:
        hook['save_best'] = sel['metric']
        hook['rule'] = 'less' if sel['less'] else 'greater'


