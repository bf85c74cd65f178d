from .resnet import ResNetEncoder

__all__ = ['ResNetEncoder']
