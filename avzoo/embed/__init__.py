"""Frozen pre-trained encoders and sharded, resumable feature extraction (`avzoo embed`)."""
from avzoo.embed.encoders import (
                                  CheckpointEmbedder,
                                  Embedder,
                                  ImageNetResNet,
                                  OpenCLIPImage,
                                  VGGSoundAudioNet,
                                  Wav2CLIPAudio,
)
from avzoo.embed.extract import ENCODERS, embed_ids, encoder_config

__all__ = ['CheckpointEmbedder', 'ENCODERS', 'Embedder', 'ImageNetResNet', 'OpenCLIPImage', 'VGGSoundAudioNet',
           'Wav2CLIPAudio', 'embed_ids', 'encoder_config']
