# LVS (CVPR 2021) on avzoo-synth: trimap contrastive loss on cosine maps (METHODS.md).
_base_ = ['../_base_/models/baselines_synth.py']
model = dict(method=dict(type='LVS', eps_pos=0.65, eps_neg=0.4, trimap_tau=0.03, logit_tau=0.07))
