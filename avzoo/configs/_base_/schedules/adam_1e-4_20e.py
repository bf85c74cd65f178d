# The EZ-VSL family's optimisation: Adam, lr 1e-4 constant, no weight decay, 20 epochs
# (stoneMo/EZ-VSL train.py L34-36 and utils.py L61-65: Adam without weight_decay;
# stoneMo/SLAVC train.py L46-52: weight_decay default 0, utils.py L379). FNAC sets 1e-4 itself.
optim_wrapper = dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4, weight_decay=0.0))
train_cfg = dict(type='AvzooEpochLoop', max_epochs=20, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
