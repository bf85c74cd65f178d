# EZ-VSL on Flickr-SoundNet-144K as released (stoneMo/EZ-VSL scripts/train_flickr144k.sh:
# trainset flickr_144k, testset flickr, 20 epochs, batch 128, lr 1e-4); model, front end and
# optimiser as ezvsl_r18_1xb128-20e_vggsound144k.py (values cited there).
_base_ = ['../_base_/models/ezvsl_r18.py', '../_base_/audio/spec_16k_257x200.py', '../_base_/datasets/flickr144k.py',
          '../_base_/schedules/adam_1e-4_20e.py', '../_base_/default_runtime.py']
model = dict(method=dict(type='EZVSL', embed_dim=512, dim=512, tau=0.03))
