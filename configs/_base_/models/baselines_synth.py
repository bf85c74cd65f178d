# The baselines on avzoo-synth share the demo's small encoders, data, optimiser and 5-epoch schedule
# (Adam, one warm-up epoch to 1e-3, cosine decay), so a synth comparison differs only in the method.
# They train on the anchor view only (no multi-view or mined positives). Their releases use Adam
# 1e-4 for 20+ epochs on real data; on real data use those values.
_base_ = ['./synth_encoders.py', '../datasets/synth.py', '../schedules/adam_1e-4.py', '../default_runtime.py']
model = dict(
    type='AVLocalizer',
    data_preprocessor=dict(type='AVDataPreprocessor', spectrogram={{_base_.spectrogram}}),
    visual_encoder={{_base_.visual_encoder}},
    audio_encoder={{_base_.audio_encoder}},
    channels_last=True,
    upsample='bilinear_align_corners')
train_dataloader = dict(dataset=dict(views=()))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
max_epochs = 5
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 1, eta_min=1e-5, by_epoch=True, begin=1,
         end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
custom_hooks = [dict(type='SkipReportHook'), dict(type='RichProgressHook')]
