"""Benchmark: could `casekit scan` read handwritten case numbers with a recogniser trained only on data
shipped in a package? Why it does not: the measure behind "Scanning paper back" in the README.

scikit-learn ships 1,797 handwritten digits (8×8, from 43 writers). A support-vector classifier trained on
them is scored on a held-out part of that set, and on single digits written into the digit boxes of a
printed form by tests/scan_pages.py (another hand: OpenCV's script font), cut out and reduced the way
that set was made (ink box scaled to 32×32, then counted in 4×4 blocks). Needs scikit-learn, which is
not a casekit dependency.

    python tests/benchmarks/case_number_digits.py
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import numpy as np  # noqa: E402

from scan_pages import draw_writing  # noqa: E402

BOX_MM = (5.2, 7.0)  # a digit box of the printed forms (form.css .digit)
PX_PER_MM = 8.0  # as `casekit scan` straightens a page


def features(crop: np.ndarray) -> np.ndarray | None:
    """The written digit as scikit-learn's set has it: 64 counts of ink, 0 to 16."""
    import cv2
    ink = (crop < 140).astype(np.float32)
    ys, xs = np.nonzero(ink)
    if len(xs) < 5:
        return None
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = ink.shape
    side = max(h, w)
    square = np.zeros((side, side), np.float32)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = ink
    return cv2.resize(square, (32, 32), interpolation=cv2.INTER_AREA).reshape(8, 4, 8, 4).sum(axis=(1, 3)).ravel()


def written_digits(count: int, rng: random.Random):
    for _ in range(count):
        digit = rng.randint(0, 9)
        image = np.full((int(9 * PX_PER_MM), int(7 * PX_PER_MM)), 255, np.uint8)
        draw_writing(image, 1, 1, *BOX_MM, PX_PER_MM, rng, text=str(digit))
        found = features(image)
        if found is not None:
            yield found, digit


def main() -> int:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    from sklearn.svm import SVC
    digits = load_digits()
    train, test, train_y, test_y = train_test_split(digits.data, digits.target, test_size=0.3, random_state=0,
                                                    stratify=digits.target)
    held_out = float((SVC(gamma=0.001, C=10).fit(train, train_y).predict(test) == test_y).mean())
    model = SVC(gamma=0.001, C=10).fit(digits.data, digits.target)
    written = list(written_digits(500, random.Random(1)))
    other_hand = float(np.mean(model.predict(np.array([f for f, _ in written])) == np.array([d for _, d in written])))
    print("| digits | right per digit | an 8-digit case number right |\n|---|---|---|")
    print(f"| scikit-learn's own, held out ({len(test_y)}) | {100 * held_out:.1f}% | {100 * held_out ** 8:.1f}% |")
    print(f"| written into a form's digit boxes, another hand ({len(written)}) | {100 * other_hand:.1f}% | "
          f"{100 * other_hand ** 8:.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
