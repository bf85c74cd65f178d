# Flickr-SoundNet-144K with the EZ-VSL family's 257x200 front end (values cited in
# vggsound144k_257x200.py); roots and lists as flickr144k.py.
_base_ = ['./vggsound144k_257x200.py']
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
