# The paper's semantic positives on VGGSound-144K ("NN w/ Sup. Pre. Enc."): one of the k = 1000
# nearest neighbours (the paper's k) in the embedding spaces of a supervised ImageNet image encoder
# and a supervised VGGSound audio encoder (hche11/VGGSound's ResNet-18 classifier); ResNet-18 is
# avzoo's default ImageNet encoder (imagenet_resnet50 embeds with a ResNet-50). The two embedding
# files (rows in the order of vggss_144k.txt) come from `avzoo embed`:
#   avzoo embed vggss_144k.txt --encoder imagenet_resnet18 --weights checkpoints/resnet18_imagenet.pth \
#     --data-root data/vggsound --out data/vggsound/embeddings/imagenet_resnet_vggsound144k
#   avzoo embed vggss_144k.txt --encoder vggsound_audio --weights checkpoints/vggsound_audio_H.pth.tar \
#     --data-root data/vggsound --out data/vggsound/embeddings/vggsound_audio_vggsound144k
custom_hooks = [dict(type='PositiveMiningHook', miner=dict(type='KNNMiner', k=1000, backend='auto'),
                     features=dict(type='NpyFeatures', ids='vggss_144k.txt',
                                   image='data/vggsound/embeddings/imagenet_resnet_vggsound144k/embeddings.npy',
                                   audio='data/vggsound/embeddings/vggsound_audio_vggsound144k/embeddings.npy'))]
