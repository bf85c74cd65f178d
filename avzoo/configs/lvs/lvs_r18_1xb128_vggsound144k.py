# LVS on VGGSound-144K: the architecture the alignment release evaluates LVS with (visual layer4 at
# stride 1 -> 512x14x14, cosine maps, no projections), trimap loss eps 0.65 / 0.4. The visual
# encoder starts from ImageNet like the EZ-VSL family here; drop model.visual_encoder.init_cfg to
# train it from scratch.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
             visual_encoder=dict(strides=(1, 2, 2, 1)),
             method=dict(type='LVS', eps_pos=0.65, eps_neg=0.4, trimap_tau=0.03, logit_tau=0.07))
