# MarginNCE on VGGSound-144K: EZ-VSL's setting with a negative margin. margin=0.2 is avzoo's choice,
# NOT checked against the paper here; set the paper's value with --cfg-options model.method.margin=...
_base_ = ['../_base_/models/baselines_r18.py', '../_base_/datasets/vggsound144k.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='MarginNCE', margin=0.2, embed_dim=512, dim=512, tau=0.03))
