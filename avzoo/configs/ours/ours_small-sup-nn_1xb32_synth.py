# Ours (the alignment method) on avzoo-synth, the demo: small encoders, 1 process x batch 32,
# multi-view + semantic positives mined by a supervised pair of encoders trained on the disjoint,
# labelled `pretrain` split. Every value is avzoo's choice for the synthetic CPU benchmark
# (measured in model_cards/ours.md); the loss's constants follow the paper (tau 0.07).
_base_ = ['../_base_/models/small_synth.py', '../_base_/audio/spec_8k_synth.py', '../_base_/datasets/synth.py',
          '../_base_/schedules/synth_5e.py', '../_base_/default_runtime.py']

model = dict(
    data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
    method=dict(type='CrossModalAlignment', embed_dim=128, proj_dim=64, proj_hidden=256, tau=0.07,
                views=('aug', 'nn'), use_alignment=True, direction='both'))
train_dataloader = dict(dataset=dict(views=('aug', 'nn')))
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='SupervisedSynthEncoders',
                       labelled=dict(type='LabelledAVDataset', data_root='data/avzoo-synth/pretrain',
                                     image_size={{_base_.image_size}}, audio={{_base_.audio}}),
                       visual_encoder=dict(type='ResNetEncoder', widths={{_base_.small_widths}}),
                       audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths={{_base_.small_widths}},
                                          pool='max'),
                       data_preprocessor=dict(type='AVDataPreprocessor', spectrogram={{_base_.spectrogram}}),
                       cache_dir='data/avzoo-synth/encoders', epochs=4),
         miner=dict(type='KNNMiner', k=None, backend='faiss'))]
