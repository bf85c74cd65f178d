"""The method zoo: names users type (``--method``) -> configs, and what each one is."""
from __future__ import annotations

from typing import Dict

from avzoo.errors import AvzooError

METHODS: Dict[str, dict] = {
    'ours': dict(config='alignment/alignment_small_nn_synth.py', trained=True,
                 about='cross-modal alignment (TPAMI 2025): s_L + s_A InfoNCE, multi-view + kNN positives'),
    'ours_previs': dict(config='alignment/alignment_small_previs_nn_synth.py', trained=True,
                        about="the same, visual encoder initialised from the miner's supervised one (Pre. Vision)"),
    'lvs': dict(config='baselines/lvs_small_synth.py', trained=True,
                about='LVS (CVPR 2021): trimap hard-negative contrastive loss on cosine maps'),
    'ezvsl': dict(config='baselines/ezvsl_small_synth.py', trained=True,
                  about='EZ-VSL (ECCV 2022): multiple-instance max-pooled InfoNCE, both directions'),
    'marginnce': dict(config='baselines/marginnce_small_synth.py', trained=True,
                      about='MarginNCE (ICASSP 2023): EZ-VSL with a negative margin on the positive'),
    'slavc': dict(config='baselines/slavc_small_synth.py', trained=True,
                  about='SLAVC (NeurIPS 2022): dual-softmax loss against momentum targets, two heads'),
    'fnac': dict(config='baselines/fnac_small_synth.py', trained=True,
                 about='FNAC (CVPR 2023): EZ-VSL + false-negative-aware L1 consistency terms'),
    'centre_prior': dict(config='floors/centre_prior_synth.py', trained=False,
                         about='floor: centred Gaussian, ignores image and sound'),
    'objectness': dict(config='floors/objectness_synth.py', trained=False,
                       about="floor: audio-agnostic objectness (OGL's visual feature norm)"),
}


def method_config(name: str) -> dict:
    if name not in METHODS:
        raise AvzooError(f"unknown method {name!r}; available: {', '.join(sorted(METHODS))} (see `avzoo list`)")
    return METHODS[name]
