# MarginNCE (ICASSP 2023) on avzoo-synth: EZ-VSL with a negative margin on the positive logit.
# margin=0.2 is avzoo's choice, NOT checked against the paper (its text was not available here);
# override with --cfg-options model.method.margin=... and report the value with the result.
_base_ = ['../_base_/models/baselines_synth.py']
model = dict(method=dict(type='MarginNCE', margin=0.2, embed_dim=128, dim=128, tau=0.03))
