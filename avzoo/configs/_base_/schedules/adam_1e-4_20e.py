# The EZ-VSL family's optimisation as avzoo's baselines use it today (FNAC's train.py, derived
# from EZ-VSL's): Adam 1e-4, weight decay 1e-4, 20 epochs.
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=1e-4))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
