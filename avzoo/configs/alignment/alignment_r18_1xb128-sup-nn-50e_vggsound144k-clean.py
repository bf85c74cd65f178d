# The clean protocol (docs/protocol.md): alignment_r18_1xb128-sup-nn-50e_vggsound144k.py on
# vggss_144k_clean.txt, VGGSound-144K without every clip whose source video is in every shipped test
# benchmark (VGG-SS and its subsets, AVSBench S4 / MS3) (tools/build_clean_lists.py; `avzoo audit
# --train vggsound144k_clean` shows 0 / 0). The list is avzoo's; every other value is the release
# recipe of the config above (cited there). The positives are mined over the embeddings of the full
# list; neighbours outside the clean list are ignored (AVPairDataset.load_neighbours), so no removed
# clip is ever loaded.
_base_ = ['./alignment_r18_1xb128-sup-nn-50e_vggsound144k.py']
train_dataloader = dict(dataset=dict(id_list='vggss_144k_clean.txt'))
