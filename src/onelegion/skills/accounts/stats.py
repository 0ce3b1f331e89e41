"""Small statistics shared by the hit scorer and the element analysis.

Wilson intervals, the Katz interval of a ratio of rates, Benjamini-Hochberg q-values, and the
within-account least-squares regression (account fixed effects, clustered standard errors).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

Z95 = 1.959963984540054
_ND = NormalDist()


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    den = 1 + z * z / n
    c = (p + z * z / (2 * n)) / den
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, c - h), min(1.0, c + h))


def lift_ci(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float, float]:
    a, b = k1 + 0.5, n1 + 0.5
    c, d = k0 + 0.5, n0 + 0.5
    lift = (a / b) / (c / d)
    se = math.sqrt(max(1 / a - 1 / b + 1 / c - 1 / d, 0.0))
    return lift, lift * math.exp(-Z95 * se), lift * math.exp(Z95 * se)


def bh(p: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q)."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    q = [1.0] * m
    prev = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        prev = min(prev, p[i] * m / rank)
        q[i] = prev
    return q


def two_sided_p(coef: float, se: float) -> float:
    return 2 * (1 - _ND.cdf(abs(coef / se))) if math.isfinite(se) and se > 0 else 1.0


def within_regression(
    X: np.ndarray, y: np.ndarray, acc: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Account-demeaned least squares; returns (coef, se) with se = max(classical, clustered)."""
    n_acc = int(acc.max()) + 1 if acc.size else 0
    counts = np.bincount(acc, minlength=n_acc).astype(float)
    counts[counts == 0] = 1.0

    def demean(v: np.ndarray) -> np.ndarray:
        if v.ndim == 1:
            d1: np.ndarray = v - (np.bincount(acc, weights=v, minlength=n_acc) / counts)[acc]
            return d1
        means = np.stack(
            [np.bincount(acc, weights=v[:, j], minlength=n_acc) for j in range(v.shape[1])], axis=1
        )
        d2: np.ndarray = v - (means / counts[:, None])[acc]
        return d2

    Xd, yd = demean(X), demean(y)
    n, k = Xd.shape
    xtx = Xd.T @ Xd + 1e-6 * n * np.eye(k)
    try:
        inv = np.linalg.inv(xtx)
    except np.linalg.LinAlgError:
        return np.zeros(k), np.full(k, np.nan)
    coef = inv @ (Xd.T @ yd)
    e = yd - Xd @ coef
    groups = int((np.bincount(acc, minlength=n_acc) > 0).sum())
    dof = max(n - k - groups, 1)
    se_cl = np.sqrt(np.maximum(np.diag(inv) * float(e @ e) / dof, 0.0))
    # clustered by account
    score = np.stack(
        [np.bincount(acc, weights=Xd[:, j] * e, minlength=n_acc) for j in range(k)], axis=1
    )
    meat = score.T @ score
    adj = groups / max(groups - 1, 1)
    se_cr = np.sqrt(np.maximum(np.diag(inv @ meat @ inv) * adj, 0.0))
    return coef, np.maximum(se_cl, se_cr)
