# The alignment method on avzoo-synth (the demo): small encoders, multi-view + semantic positives
# mined by a supervised pair of encoders trained on the disjoint, labelled `pretrain` split.
_base_ = ['../_base_/models/alignment_r18.py', '../_base_/models/synth_encoders.py',
          '../_base_/datasets/synth.py', '../_base_/schedules/adam_1e-4.py',
          '../_base_/default_runtime.py']

model = dict(
    data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
    visual_encoder={{_base_.visual_encoder}},
    audio_encoder={{_base_.audio_encoder}},
    method=dict(embed_dim=128, proj_dim=64, proj_hidden=256),
    channels_last=True)
max_epochs = 5
optim_wrapper = dict(optimizer=dict(lr=1e-3))
# Short CPU budget: one warm-up epoch, then cosine decay to 1 % of the peak by the last epoch.
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 1, eta_min=1e-5, by_epoch=True, begin=1,
         end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='SupervisedSynthEncoders',
                       labelled=dict(type='LabelledAVDataset', data_root='data/avzoo-synth/pretrain',
                                     image_size={{_base_.image_size}}, audio={{_base_.audio}}),
                       visual_encoder=dict(type='ResNetEncoder', widths=(16, 32, 64, 128)),
                       audio_encoder=dict(type='ResNetEncoder', in_channels=1, widths=(16, 32, 64, 128),
                                          pool='max'),
                       data_preprocessor=dict(type='AVDataPreprocessor', spectrogram={{_base_.spectrogram}}),
                       cache_dir='data/avzoo-synth/encoders', epochs=4),
         miner=dict(type='KNNMiner', k=None, backend='faiss'),
         cache='data/avzoo-synth/train/neighbours_sup.npz'),
    dict(type='SkipReportHook'), dict(type='RichProgressHook')]
