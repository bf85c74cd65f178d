# The alignment paper's optimiser: Adam, lr 1e-4, constant, 50 epochs.
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=0.0))
train_cfg = dict(type='AvzooEpochLoop', max_epochs=50, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
