# EZ-VSL on VGGSound-144K, the release's setting (tau 0.03, 512-d projections, 7x7 maps).
_base_ = ['../_base_/models/baselines_r18.py', '../_base_/datasets/vggsound144k.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='EZVSL', embed_dim=512, dim=512, tau=0.03))
