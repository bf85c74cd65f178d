# A method from outside avzoo, trained by avzoo's runner: `custom_imports` registers it.
# Run from the repository root: avzoo train projects/example_method/configs/max_pool_nce_small_synth.py
_base_ = ['../../../configs/_base_/models/alignment_r18.py', '../../../configs/_base_/models/synth_encoders.py',
          '../../../configs/_base_/datasets/synth.py', '../../../configs/_base_/schedules/adam_1e-4.py',
          '../../../configs/_base_/default_runtime.py']
custom_imports = dict(imports=['projects.example_method'], allow_failed_imports=False)
model = dict(
    data_preprocessor=dict(spectrogram={{_base_.spectrogram}}),
    visual_encoder={{_base_.visual_encoder}},
    audio_encoder={{_base_.audio_encoder}},
    method=dict(_delete_=True, type='MaxPoolNCE', tau=0.07))
train_dataloader = dict(dataset=dict(views=()))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
train_cfg = dict(max_epochs=4, val_interval=4)
