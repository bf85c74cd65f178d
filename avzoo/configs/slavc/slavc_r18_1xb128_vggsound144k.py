# SLAVC on VGGSound-144K: two heads, momentum targets (m 0.9), dropout 0.9 / 0.9, tau 0.03.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             method=dict(type='SLAVC', embed_dim=512, dim=512, tau=0.03, visual_dropout=0.9, audio_dropout=0.9,
                         momentum_visual=0.9, momentum_audio=0.9, use_momentum_eval=False))
