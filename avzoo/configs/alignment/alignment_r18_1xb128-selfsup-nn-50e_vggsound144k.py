# "Ours" with semantic positives from self-supervised encoders ("NN w/ Self-Sup. Pre. Enc."): the
# main setting (alignment_r18_1xb128-sup-nn-50e_vggsound144k.py, values cited there) with the k = 1000
# neighbours mined in the embedding spaces of CLIP's image encoder and Wav2CLIP's audio encoder.
# The two [144000, D] embedding files (rows in the order of vggss_144k.txt) come from `avzoo embed`:
#   avzoo embed vggss_144k.txt --encoder clip_image --weights checkpoints/clip_vit_b32.pt \
#     --data-root data/vggsound --out data/vggsound/embeddings/clip_image_vggsound144k
#   avzoo embed vggss_144k.txt --encoder wav2clip_audio --weights checkpoints/Wav2CLIP.pt \
#     --data-root data/vggsound --out data/vggsound/embeddings/wav2clip_audio_vggsound144k
# CLIP ViT-B/32 is avzoo's default CLIP image encoder (OpenCLIPImage takes any open_clip model name).
_base_ = ['./alignment_r18_1xb128-sup-nn-50e_vggsound144k.py']
custom_hooks = [
    dict(type='PositiveMiningHook',
         features=dict(type='NpyFeatures', image='data/vggsound/embeddings/clip_image_vggsound144k/embeddings.npy',
                       audio='data/vggsound/embeddings/wav2clip_audio_vggsound144k/embeddings.npy',
                       ids='vggss_144k.txt'),
         miner=dict(type='KNNMiner', k=1000, backend='auto'))]
