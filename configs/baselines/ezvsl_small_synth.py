# EZ-VSL (ECCV 2022) on avzoo-synth: max-MIL InfoNCE both ways, tau 0.03, projections to 128
# channels (512 in the release, scaled with the small encoders' widths).
_base_ = ['../_base_/models/baselines_synth.py']
model = dict(method=dict(type='EZVSL', embed_dim=128, dim=128, tau=0.03))
