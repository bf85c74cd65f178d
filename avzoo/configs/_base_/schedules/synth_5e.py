# avzoo-synth CPU budget (avzoo's choice, measured in avzoo/configs/alignment/README.md): Adam, 5 epochs, one
# linear warm-up epoch to 1e-3, then cosine decay to 1e-5 by the last epoch.
max_epochs = 5
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-3, weight_decay=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 1, eta_min=1e-5, by_epoch=True, begin=1,
         end=max_epochs, convert_to_iter_based=True)]
train_cfg = dict(type='AvzooEpochLoop', max_epochs=max_epochs, val_interval=max_epochs)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
