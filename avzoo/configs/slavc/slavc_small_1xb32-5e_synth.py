# SLAVC (NeurIPS 2022) on avzoo-synth: two heads, dual-softmax loss against momentum targets
# (encoders and heads, m = 0.9), dropout 0.9 on both modalities' backbone features, tau 0.03.
# On avzoo-synth every baseline shares the demo's small encoders, data, optimiser and 5-epoch
# schedule (avzoo's choices, docs/comparison.md), so a synth comparison differs only in the
# method; it trains on the anchor view only. Projection widths are scaled with the encoders (128
# for the releases' 512).
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/schedules/synth_5e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='SLAVC', embed_dim=128, dim=128, tau=0.03, visual_dropout=0.9, audio_dropout=0.9,
                         momentum_visual=0.9, momentum_audio=0.9, use_momentum_eval=False))
