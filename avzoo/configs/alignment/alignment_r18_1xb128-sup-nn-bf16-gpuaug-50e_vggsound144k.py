# The paper's main setting (alignment_r18_1xb128-sup-nn-50e_vggsound144k.py, every constant cited there) in
# avzoo's fast mode for GPUs; the method, data and schedule are unchanged, only where and in what
# precision the work runs (all avzoo's choices, measured by tools/bench_train.py):
# - bf16 autocast for the forward pass (BF16OptimWrapper; weights, gradients and Adam stay fp32);
# - channels_last convolutions;
# - the SimCLR view drawn on the device for the whole batch (BatchedSimCLR in the data
#   preprocessor) instead of per sample in the loader workers: the workers only resize the frame
#   to 256x256 for that view. Two differences from the per-sample torchvision pipeline, said in
#   avzoo/models/batched_augment.py: the crop is taken from that 256x256 frame (the reference crops
#   the original frame) and the hue shift rotates chroma in YIQ space;
# - pinned host memory. Spectrograms are computed on the device in both modes.
_base_ = ['./alignment_r18_1xb128-sup-nn-50e_vggsound144k.py']

train_dataloader = dict(pin_memory=True, dataset=dict(
    aug_pipeline=[dict(type='tv/Resize', size=(256, 256), interpolation='bilinear', antialias=True)]))
data_preprocessor = dict(batch_augment=dict(image_aug=dict(type='BatchedSimCLR', size=224)))
model = dict(channels_last=True)
optim_wrapper = dict(type='BF16OptimWrapper')
