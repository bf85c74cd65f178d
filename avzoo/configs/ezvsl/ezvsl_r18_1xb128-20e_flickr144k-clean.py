# The clean protocol (docs/protocol.md): ezvsl_r18_1xb128-20e_flickr144k.py on flickr_144k_clean.txt,
# Flickr-SoundNet-144K without every clip whose source video is in the Flickr-SoundNet test set
# (tools/build_clean_lists.py; `avzoo audit --train flickr144k_clean` shows 0 / 0). The list is
# avzoo's; every other value is the release recipe of the config above (cited there).
_base_ = ['./ezvsl_r18_1xb128-20e_flickr144k.py']
train_dataloader = dict(dataset=dict(id_list='flickr_144k_clean.txt'))
