# Flickr-SoundNet-144K training (shipped id list flickr_144k.txt) tested on the Flickr-SoundNet
# test set (250 clips with the annotators' boxes); everything else as vggsound144k.py.
# `data_root`: frames/<id>.jpg, audio/<id>.wav (`avzoo prepare flickr144k`); `flickr_root`: the Flickr test media with Annotations/<id>.xml.
_base_ = ['./vggsound144k.py']
data_root = 'data/flickr144k'
flickr_root = 'data/flickr'
train_dataloader = dict(dataset=dict(data_root=data_root, id_list='flickr_144k.txt'))
# No validation: no public Flickr-SoundNet list is disjoint from both Flickr-144K and the Flickr
# test set, and avzoo never validates on a test set (it keeps the last epoch, docs/protocol.md).
val_dataloader = None        # (val_cfg and val_evaluator are dropped with it when the runner is built)
val_evaluator = None
test_dataloader = dict(dataset=dict(_delete_=True, type='FlickrDataset', data_root=flickr_root,
                                    id_list='flickr_test.csv', image_size={{_base_.image_size}},
                                    image_pipeline={{_base_.test_pipeline}}))
