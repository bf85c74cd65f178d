# The clean protocol (docs/protocol.md) on SSL-TIE's own list: ssltie_r18_1xb32-100e_vggsound144k-ssltie.py
# on vggss_144k_ssltie_clean.txt, SSL-TIE's 144K list without the 649 clips of the source videos it
# shares with a shipped test benchmark (2 VGG-SS videos; AVSBench S4's) (tools/build_clean_lists.py;
# `avzoo audit --train vggsound144k_ssltie_clean` shows 0 / 0 everywhere). The list is avzoo's; every
# other value is the release recipe of the config above (cited there).
_base_ = ['./ssltie_r18_1xb32-100e_vggsound144k-ssltie.py']
train_dataloader = dict(dataset=dict(id_list='vggss_144k_ssltie_clean.txt'))
