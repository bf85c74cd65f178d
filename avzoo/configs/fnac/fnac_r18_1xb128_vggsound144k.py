# FNAC on VGGSound-144K, the release's train.py: weights 100 after 3 warm-up epochs, image dropout
# 0.9, audio dropout 0, 20 epochs, and its front end (274-sample overlap, 257x200).
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x200.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             method=dict(type='FNAC', embed_dim=512, dim=512, tau=0.03, visual_dropout=0.9, audio_dropout=0.0,
                         weights=(100.0, 100.0, 100.0), warmup_epochs=3))
