"""The method zoo: names users type (``--method``) -> configs, and what each one is.

``config`` is the avzoo-synth config (small encoders, CPU budget); ``real`` the release-scale
config (ResNet-18s on VGGSound-144K) that checkpoints for the real benchmarks are trained with."""
from __future__ import annotations

from typing import Dict, Optional

from avzoo.errors import AvzooError

METHODS: Dict[str, dict] = {
    'ours': dict(config='alignment/alignment_small_nn_synth.py', real='ours_sup_nn.py', trained=True,
                 about='cross-modal alignment (TPAMI 2025): s_L + s_A InfoNCE, multi-view + kNN positives'),
    'ours_previs': dict(config='alignment/alignment_small_previs_nn_synth.py', trained=True,
                        about="the same, visual encoder initialised from the miner's supervised one (Pre. Vision)"),
    'lvs': dict(config='baselines/lvs_small_synth.py', real='baselines/lvs_r18_vggsound144k.py', trained=True,
                about='LVS (CVPR 2021): trimap hard-negative contrastive loss on cosine maps'),
    'ezvsl': dict(config='baselines/ezvsl_small_synth.py', real='baselines/ezvsl_r18_vggsound144k.py', trained=True,
                  about='EZ-VSL (ECCV 2022): multiple-instance max-pooled InfoNCE, both directions'),
    'marginnce': dict(config='baselines/marginnce_small_synth.py', real='baselines/marginnce_r18_vggsound144k.py', trained=True,
                      about='MarginNCE (ICASSP 2023): EZ-VSL with a negative margin on the positive'),
    'slavc': dict(config='baselines/slavc_small_synth.py', real='baselines/slavc_r18_vggsound144k.py', trained=True,
                  about='SLAVC (NeurIPS 2022): dual-softmax loss against momentum targets, two heads'),
    'fnac': dict(config='baselines/fnac_small_synth.py', real='baselines/fnac_r18_vggsound144k.py', trained=True,
                 about='FNAC (CVPR 2023): EZ-VSL + false-negative-aware L1 consistency terms'),
    'centre_prior': dict(config='floors/centre_prior_synth.py', real='floors/centre_prior_real.py', trained=False,
                         about='floor: centred Gaussian, ignores image and sound'),
    'objectness': dict(config='floors/objectness_synth.py', real='floors/objectness_real.py', trained=False,
                       about="floor: audio-agnostic objectness (OGL's visual feature norm)"),
}


def method_config(name: str, bench: Optional[str] = None) -> dict:
    """The zoo entry of ``name``; with ``bench``, ``config`` is the one that fits it (the synth
    config for ``synth_*`` benchmarks, the real-data config otherwise)."""
    if name not in METHODS:
        raise AvzooError(f"unknown method {name!r}; available: {', '.join(sorted(METHODS))} (see `avzoo list`)")
    spec = dict(METHODS[name])
    if bench is not None and not bench.startswith('synth'):
        if 'real' not in spec:
            raise AvzooError(f'method {name!r} has no real-data config; score it on {bench!r} with a CONFIG '
                             f'argument instead of --method')
        spec['config'] = spec['real']
    return spec
