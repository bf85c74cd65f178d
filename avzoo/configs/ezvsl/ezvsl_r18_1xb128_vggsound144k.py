# EZ-VSL on VGGSound-144K (tau 0.03, 512-d projections, 7x7 maps), 1 process x batch 128.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             method=dict(type='EZVSL', embed_dim=512, dim=512, tau=0.03))
