# MarginNCE on VGGSound-144K: EZ-VSL's setting with a margin. margin=0.2 is avzoo's choice, NOT
# checked against the paper here; set the paper's value with --cfg-options model.method.margin=...
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             method=dict(type='MarginNCE', margin=0.2, embed_dim=512, dim=512, tau=0.03))
