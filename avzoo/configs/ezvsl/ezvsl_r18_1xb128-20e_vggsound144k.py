# EZ-VSL on VGGSound-144K as released (stoneMo/EZ-VSL @95ff5bf): tau 0.03 and 512-d projections
# (train.py L30-31), batch 128, 20 epochs, Adam 1e-4 without weight decay
# (scripts/train_vggsound144k.sh; utils.py L61-65), 257x200 front end, release image pipeline.
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x200.py', '../_base_/datasets/vggsound144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='EZVSL', embed_dim=512, dim=512, tau=0.03))
