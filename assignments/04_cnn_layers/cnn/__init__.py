"""Convolution and max pooling from scratch in numpy, a small CNN built from them, and the same CNN in torch."""

from .conv2d import (
    col2im,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
    conv_output_size,
    im2col,
)
from .digits_cnn import (
    DeeperDigitsCNN,
    DigitsCNN,
    confusion_matrix,
    copy_numpy_params,
    evaluate,
    filters_to_grid,
    fit,
    predict,
    train_one_epoch,
)
from .maxpool2d import maxpool2d_backward, maxpool2d_forward
from .small_cnn import SmallConvNet, train_numpy_net

__all__ = [
    "DeeperDigitsCNN",
    "DigitsCNN",
    "SmallConvNet",
    "col2im",
    "confusion_matrix",
    "conv2d_backward",
    "conv2d_backward_naive",
    "conv2d_forward",
    "conv2d_forward_naive",
    "conv_output_size",
    "copy_numpy_params",
    "evaluate",
    "filters_to_grid",
    "fit",
    "im2col",
    "maxpool2d_backward",
    "maxpool2d_forward",
    "predict",
    "train_numpy_net",
    "train_one_epoch",
]
