# The clean protocol (docs/protocol.md): ssltie_r18_1xb32-100e_vggsound144k-ssltie.py on
# vggss_144k_clean.txt, VGGSound-144K without every clip whose source video is in every shipped test
# benchmark (tools/build_clean_lists.py; `avzoo audit --train vggsound144k_clean` shows 0 / 0), where
# SSL-TIE's own list still holds 2 VGG-SS videos (through other clips of them). The list is avzoo's;
# every other value is the release recipe of the config above (cited there).
_base_ = ['./ssltie_r18_1xb32-100e_vggsound144k-ssltie.py']
train_dataloader = dict(dataset=dict(id_list='vggss_144k_clean.txt'))
