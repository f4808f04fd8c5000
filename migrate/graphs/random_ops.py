"""Stateful random ops: never an output candidate, and a reason parity cannot compare exactly."""

from __future__ import annotations

RANDOM_OPS = frozenset(
    {
        "RandomUniform",
        "RandomUniformInt",
        "RandomStandardNormal",
        "TruncatedNormal",
        "RandomShuffle",
        "Multinomial",
        "RandomGamma",
        "RandomPoisson",
        "RandomPoissonV2",
        "RandomCrop",
        "ParameterizedTruncatedNormal",
    }
)
