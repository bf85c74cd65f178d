# SLAVC (NeurIPS 2022) on avzoo-synth: two heads, dual-softmax loss against momentum targets
# (encoders and heads, m = 0.9), dropout 0.9 on both modalities' backbone features, tau 0.03.
_base_ = ['../_base_/models/baselines_synth.py']
model = dict(method=dict(type='SLAVC', embed_dim=128, dim=128, tau=0.03, visual_dropout=0.9, audio_dropout=0.9,
                         momentum_visual=0.9, momentum_audio=0.9, use_momentum_eval=False))
