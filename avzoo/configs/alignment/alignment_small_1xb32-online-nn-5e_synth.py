# Ours on avzoo-synth with online semantic positives (avzoo's extension, beyond the paper): no
# pre-trained encoders; from epoch 1 on, every epoch, the training clips are embedded with the
# model's own projected embeddings and each modality's k nearest neighbours re-mined
# (OnlineNeighbourHook). In epoch 0 each clip is its own neighbour. Everything else is
# alignment_small_1xb32-sup-nn-5e_synth.py; `avzoo ablate` measures it beside the supervised miner.
_base_ = ['./alignment_small_1xb32-sup-nn-5e_synth.py']
custom_hooks = [dict(type='OnlineNeighbourHook', interval=1, start_epoch=1, projected=True,
                     miner=dict(type='KNNMiner', k=None, backend='faiss'))]
