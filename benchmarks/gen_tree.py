"""A seeded, generated source tree that looks like a TF1 monorepo, for rewrite benchmarks.

Real trees are mostly code that never mentions TensorFlow, some TF model code that has
nothing to rewrite, and a minority of export code (Saver, simple_save, SavedModelBuilder,
loader code). Generating the tree, rather than committing one, lets the benchmark scale
(`--files`) and stay reproducible (`--seed`): the same seed always writes the same bytes.

`python -m benchmarks.gen_tree OUT [--files N] [--seed S]` writes a tree by hand.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# Share of files per kind; the rest of the tree is non-Python files (docs, configs, data).
MIX = {"tf_export": 0.25, "tf_model": 0.15, "plain": 0.45, "other": 0.15}
IMPORTS = (
    "import tensorflow as tf\n",
    "import tensorflow.compat.v1 as tf\n",
    "import tensorflow as tf\ntf = tf.compat.v1\n",
)


@dataclass(frozen=True)
class TreeStats:
    """What was generated, so the benchmark can report lines/s by kind."""

    files: dict[str, int]
    lines: dict[str, int]


def _saver(i: int, r: random.Random) -> str:
    keep = r.choice(["max_to_keep=3", "max_to_keep=None", "keep_checkpoint_every_n_hours=2"])
    return f'''
def train_and_checkpoint_{i}(ckpt_dir, steps={r.randint(10, 500)}):
    """Train a tiny model and checkpoint it every few steps."""
    w_{i} = tf.get_variable("w_{i}", shape=[{r.randint(2, 64)}], initializer=tf.zeros_initializer())
    b_{i} = tf.Variable(0.0, name="b_{i}")
    loss = tf.reduce_sum(tf.square(w_{i})) + b_{i}
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    saver = tf.train.Saver(var_list=[w_{i}, b_{i}], {keep})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        latest = tf.train.latest_checkpoint(ckpt_dir)
        if latest:
            saver.restore(sess, latest)
        for step in range(steps):
            sess.run(train_op)
            if step % 10 == 0:
                saver.save(sess, os.path.join(ckpt_dir, "model.ckpt"), global_step=step)
    return ckpt_dir
'''


def _saver_todo(i: int, r: random.Random) -> str:
    return f"""
def restore_all_{i}(sess, path):
    # The variable set is only known at run time, so this needs a human.
    saver = tf.train.Saver(tf.trainable_variables())
    saver.restore(sess, path)
    return sess.run(tf.trainable_variables()[{r.randint(0, 3)}])
"""


def _simple_save(i: int, r: random.Random) -> str:
    return f'''
def export_simple_{i}(sess, export_dir, x, y):
    """Export the serving graph with the TF1 one-liner."""
    tf.saved_model.simple_save(
        sess, export_dir, inputs={{"x": x}}, outputs={{"y": y, "score_{i}": y * {r.randint(2, 9)}}}
    )
'''


def _builder(i: int, r: random.Random) -> str:
    return f'''
def export_builder_{i}(sess, export_dir, x, y):
    """Export with SavedModelBuilder and an explicit signature."""
    builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
    signature = tf.saved_model.signature_def_utils.predict_signature_def(
        inputs={{"x": x}}, outputs={{"y": y}}
    )
    builder.add_meta_graph_and_variables(
        sess,
        [tf.saved_model.tag_constants.SERVING],
        signature_def_map={{"serving_default": signature}},
        main_op=tf.tables_initializer(),
    )
    builder.save(as_text={r.choice(["True", "False"])})
'''


def _loader(i: int, r: random.Random) -> str:
    return f'''
def predict_{i}(export_dir, batch):
    """Serve one batch from a TF1 SavedModel."""
    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta.signature_def["serving_default"]
        x_name = signature.inputs["x"].name
        y_name = signature.outputs["y"].name
        batch = np.asarray(batch, np.float32) * {r.randint(1, 5)}
        scores = sess.run(y_name, feed_dict={{x_name: batch}})
    return scores
'''


def _model(i: int, r: random.Random) -> str:
    units = r.choice([16, 32, 64, 128])
    return f'''
def build_model_{i}(features, labels, mode):
    """A TF1 estimator-style model function; nothing here needs rewriting."""
    x = tf.placeholder(tf.float32, [None, {r.randint(4, 256)}], name="x_{i}")
    hidden = tf.layers.dense(x, {units}, activation=tf.nn.relu)
    hidden = tf.layers.dropout(hidden, rate=0.{r.randint(1, 5)}, training=mode == "train")
    logits = tf.layers.dense(hidden, {r.randint(2, 10)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    optimizer = tf.train.AdamOptimizer(learning_rate=1e-{r.randint(2, 5)})
    train_op = optimizer.minimize(loss, global_step=tf.train.get_or_create_global_step())
    tf.summary.scalar("loss_{i}", loss)
    return logits, loss, train_op
'''


def _plain(i: int, r: random.Random) -> str:
    kind = r.randrange(3)
    if kind == 0:
        return f'''
class Record{i}:
    """A record parsed from a line of the input file."""

    def __init__(self, key, values):
        self.key = key
        self.values = list(values)

    def total(self):
        return sum(v * {r.randint(1, 9)} for v in self.values if v is not None)

    def __repr__(self):
        return f"Record{i}({{self.key!r}}, {{self.values!r}})"
'''
    if kind == 1:
        return f'''
def parse_lines_{i}(path, sep=","):
    """Read a CSV-ish file into a dict keyed by the first column."""
    out = {{}}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if not line.strip() or line.startswith("#"):
                continue
            key, *rest = line.rstrip("\\n").split(sep)
            try:
                out[key] = [float(v) for v in rest]
            except ValueError:
                raise ValueError(f"{{path}}:{{number + 1}}: bad number") from None
    return out
'''
    return f"""
def summarize_{i}(rows, top={r.randint(3, 20)}):
    # Sort by score, keep the best few, and format a small report.
    ranked = sorted(rows, key=lambda row: (-row["score"], row["name"]))[:top]
    width = max((len(row["name"]) for row in ranked), default=0)
    lines = [f"{{row['name']:<{{width}}}}  {{row['score']:8.3f}}" for row in ranked]
    return "\\n".join(lines) if lines else "(empty)"
"""


EXPORT_BLOCKS: tuple[Callable[[int, random.Random], str], ...] = (
    _saver, _saver, _saver_todo, _simple_save, _builder, _loader
)  # fmt: skip
OTHER_FILES = (
    ("README.md", "# Project {i}\n\nTraining and export scripts.\n" * 20),
    ("config_{i}.yaml", "model:\n  units: 64\n  layers: 3\ntrain:\n  steps: 1000\n" * 20),
    ("data_{i}.csv", "key,a,b,c\n" + "k,1.0,2.0,3.0\n" * 200),
    ("run_{i}.sh", "#!/bin/sh\nset -e\npython train.py --steps 100\n" * 10),
)


def _python_file(kind: str, r: random.Random, target_lines: int) -> str:
    header = f'"""Generated benchmark module ({kind})."""\n\n'
    parts = [header, "import os\n\nimport numpy as np\n"]
    if kind != "plain":
        parts.append(r.choice(IMPORTS))
    counter = 0
    if kind == "tf_export":  # one to three export sites, then filler
        for _ in range(r.randint(1, 3)):
            counter += 1
            parts.append(r.choice(EXPORT_BLOCKS)(counter, r))
    while sum(p.count("\n") for p in parts) < target_lines:
        counter += 1
        filler = _model if kind != "plain" and r.random() < 0.5 else _plain
        parts.append(filler(counter, r))
    return "\n".join(parts)


def generate(out: Path, files: int = 2000, seed: int = 0) -> TreeStats:
    """Write `files` files (100-1,000 lines each for Python) under `out`; deterministic."""
    r = random.Random(seed)
    counts = {k: 0 for k in MIX}
    lines = {k: 0 for k in MIX}
    kinds, weights = list(MIX), list(MIX.values())
    for index in range(files):
        kind = r.choices(kinds, weights)[0]
        package = out / f"pkg{index % 40:02d}" / f"sub{index % 7}"
        package.mkdir(parents=True, exist_ok=True)
        if kind == "other":
            name, text = r.choice(OTHER_FILES)
            path = package / name.format(i=index)
        else:
            text = _python_file(kind, r, r.randint(100, 1000))
            path = package / f"{kind}_{index}.py"
        path.write_text(text, encoding="utf-8")
        counts[kind] += 1
        lines[kind] += text.count("\n")
    return TreeStats(counts, lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    stats = generate(args.out, args.files, args.seed)
    print(stats)


if __name__ == "__main__":
    main()
