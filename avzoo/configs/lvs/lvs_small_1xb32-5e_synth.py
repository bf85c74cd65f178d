# LVS (CVPR 2021) on avzoo-synth: trimap contrastive loss on cosine maps (docs/methods.md).
# On avzoo-synth every baseline shares the demo's small encoders, data, optimiser and 5-epoch
# schedule (avzoo's choices, docs/comparison.md), so a synth comparison differs only in the
# method; it trains on the anchor view only. Projection widths are scaled with the encoders (128
# for the releases' 512).
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/schedules/synth_5e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='LVS', eps_pos=0.65, eps_neg=0.4, trimap_tau=0.03, logit_tau=0.07))
