# LVS on VGGSound-144K. The LVS release has no training code; its model (hche11/Localizing-Visual-
# Sounds-the-Hard-Way @8fe8cbb) fixes the architecture: one ResNet-18 class for both modalities
# with layer4 at stride 1 (models/base_models.py L153: visual 512x14x14, audio stride 1 too), the
# visual one from ImageNet (model.py L23), cosine maps without projections, trimap eps 0.65 / 0.4
# (test.py L29-30), trimap temperature 0.03 (model.py L30) and logits / 0.07 (model.py L75).
# Front end: the alignment release's 3 s / 257x299 (how it scores LVS; LVS's own loader takes the
# whole 10 s clip at 274 overlap, 257x671). Optimisation: the EZ-VSL family's (Adam 1e-4, 20
# epochs, batch 128) is avzoo's choice, since the release gives none.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x299.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(visual_encoder=dict(strides=(1, 2, 2, 1)),
             audio_encoder=dict(strides=(1, 2, 2, 1)),
             method=dict(type='LVS', eps_pos=0.65, eps_neg=0.4, trimap_tau=0.03, logit_tau=0.07))
