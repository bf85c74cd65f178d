# SSL-TIE (ACM MM 2022) on avzoo-synth: LVS's trimap loss on the frame and on its rotated / rescaled /
# flipped copy, plus transformation equivariance of the cosine map (README.md of this folder).
# On avzoo-synth every baseline shares the demo's small encoders, data, optimiser and 5-epoch
# schedule (avzoo's choices, docs/comparison.md), so a synth comparison differs only in the method;
# it trains on the anchor view, whose transformed copy the method makes itself. The transformation
# and loss constants are the release's (cited in ssltie_r18_1xb32-100e_vggsound144k.py); the warp
# canvas is the synth frame (128 px) where the release's is 224.
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/schedules/synth_5e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='SSLTIE', max_angle=30, scales=(1.0, 0.5), p_flip=0.5, equivariance_weight=1.0,
                         eps_pos=0.65, eps_neg=0.4, trimap_tau=0.03, logit_tau=0.07))
