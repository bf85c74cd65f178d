# Flickr-SoundNet-144K with the EZ-VSL family's 257x200 front end (values cited in
# vggsound144k_257x200.py); roots and lists as flickr144k.py.
_base_ = ['./vggsound144k_257x200.py']
data_root = 'data/flickr144k'
flickr_root = 'data/flickr'
train_dataloader = dict(dataset=dict(data_root=data_root, id_list='flickr_144k.txt'))
val_dataloader = dict(dataset=dict(_delete_=True, type='FlickrDataset', data_root=flickr_root,
                                   id_list='flickr_test.csv', image_size={{_base_.image_size}},
                                   audio={{_base_.audio}}, image_pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
