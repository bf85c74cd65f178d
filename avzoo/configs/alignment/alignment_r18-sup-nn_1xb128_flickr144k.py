# "Ours" (NN w/ Sup. Pre. Enc.) trained on Flickr-SoundNet-144K, the setting of the alignment
# release's Flickr checkpoints (its README: Flickr cIoU 85.20): the recipe of
# alignment_r18-sup-nn_1xb128_vggsound144k.py (values cited there) on the Flickr-144K clips, without
# validation (as ../_base_/datasets/flickr144k.py), neighbours mined on Flickr-144K
# (embedding rows in the order of flickr_144k.txt).
_base_ = ['./alignment_r18-sup-nn_1xb128_vggsound144k.py']
data_root = 'data/flickr144k'
flickr_root = 'data/flickr'
train_dataloader = dict(dataset=dict(data_root=data_root, id_list='flickr_144k.txt'))
# No validation: no public Flickr-SoundNet list is disjoint from both Flickr-144K and the Flickr
# test set, and avzoo never validates on a test set (it keeps the last epoch, docs/protocol.md).
val_dataloader = None        # (val_cfg and val_evaluator are dropped with it when the runner is built)
val_evaluator = None
test_dataloader = dict(dataset=dict(_delete_=True, type='FlickrDataset', data_root=flickr_root,
                                    id_list='flickr_test.csv', image_size={{_base_.image_size}},
                                    audio={{_base_.audio}}, image_pipeline={{_base_.test_pipeline}}))
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='NpyFeatures', image='data/flickr144k/embeddings/imagenet_resnet_flickr144k/embeddings.npy',
                       audio='data/flickr144k/embeddings/vggsound_audio_flickr144k/embeddings.npy', ids='flickr_144k.txt'),
         miner=dict(type='KNNMiner', k=1000, backend='auto'))]
