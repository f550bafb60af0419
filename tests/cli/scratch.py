"""Scratch files for the command-line tests."""
import os


def write(root, rel, text):
    """Writes text to root/rel, making the directories on the way."""
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
