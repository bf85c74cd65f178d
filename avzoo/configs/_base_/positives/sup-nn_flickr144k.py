# Supervised-encoder neighbours (as sup-nn_vggsound144k.py) mined on Flickr-SoundNet-144K: embedding
# rows in the order of flickr_144k.txt (`avzoo embed flickr_144k.txt ... --out data/flickr144k/embeddings/...`).
custom_hooks = [dict(type='PositiveMiningHook', miner=dict(type='KNNMiner', k=1000, backend='auto'),
                     features=dict(type='NpyFeatures', ids='flickr_144k.txt',
                                   image='data/flickr144k/embeddings/imagenet_resnet_flickr144k/embeddings.npy',
                                   audio='data/flickr144k/embeddings/vggsound_audio_flickr144k/embeddings.npy'))]
