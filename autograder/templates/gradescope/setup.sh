#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (choose its Ubuntu 22.04 base
# image: 22.04 packages Python 3.11). It installs the kit's pinned environment into /autograder/venv.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3.11 python3.11-venv
python3.11 -m venv /autograder/venv
# torch==2.13.0 from PyPI pulls the CUDA build and its gigabytes of libraries; with PyTorch's CPU index
# as an extra index, pip takes 2.13.0+cpu, which satisfies the pin and sorts above plain 2.13.0.
/autograder/venv/bin/pip install --no-cache-dir --disable-pip-version-check \
  --extra-index-url https://download.pytorch.org/whl/cpu -r /autograder/source/requirements-lock.txt
