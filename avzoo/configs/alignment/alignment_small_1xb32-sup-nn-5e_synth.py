# The alignment method on avzoo-synth, the demo: small encoders, 1 process x batch 32,
# multi-view + semantic positives mined by a supervised pair of encoders trained on the disjoint,
# labelled `pretrain` split. Encoders, widths and schedule are avzoo's choices for the synthetic
# CPU benchmark (measured in its README.md); the objective follows the paper: tau 0.07 and the
# vision-to-audio InfoNCE (Sec. 3, Eq. 5), SimCLR augmentations (../_base_/datasets/synth.py) and a
# time shift of the 1 s window within the 2 s clip (at most 0.5 s either way; both in the dataset base).
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/schedules/synth_5e.py', '../_base_/default_runtime.py']

model = dict(
    method=dict(type='CrossModalAlignment', embed_dim=128, proj_dim=64, proj_hidden=256, tau=0.07,
                views=('aug', 'nn'), use_alignment=True, direction='v2a'))
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='SupervisedSynthEncoders',
                       labelled=dict(type='LabelledAVDataset', data_root='data/avzoo-synth/pretrain',
                                     image_size={{_base_.image_size}}, audio={{_base_.audio}}),
                       visual_encoder=dict(type='ResNetEncoder', widths={{_base_.small_widths}}),
                       audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths={{_base_.small_widths}},
                                          pool='max'),
                       data_preprocessor={{_base_.data_preprocessor}},
                       cache_dir='data/avzoo-synth/encoders', epochs=4),
         miner=dict(type='KNNMiner', k=None, backend='faiss'))]
