# The paper's self-supervised variant ("NN w/ Self-Sup. Pre. Enc."): neighbours mined in the
# embedding spaces of CLIP's image encoder and Wav2CLIP's audio encoder (k = 1000, the paper's):
#   avzoo embed vggss_144k.txt --encoder clip_image --weights checkpoints/clip_vit_b32.pt \
#     --data-root data/vggsound --out data/vggsound/embeddings/clip_image_vggsound144k
#   avzoo embed vggss_144k.txt --encoder wav2clip_audio --weights checkpoints/Wav2CLIP.pt \
#     --data-root data/vggsound --out data/vggsound/embeddings/wav2clip_audio_vggsound144k
custom_hooks = [dict(type='PositiveMiningHook', miner=dict(type='KNNMiner', k=1000, backend='auto'),
                     features=dict(type='NpyFeatures', ids='vggss_144k.txt',
                                   image='data/vggsound/embeddings/clip_image_vggsound144k/embeddings.npy',
                                   audio='data/vggsound/embeddings/wav2clip_audio_vggsound144k/embeddings.npy'))]
