"""tf1_loading_to_tf2 as before/after strings (CodemodTest: through engine.rewrite_code)."""

from __future__ import annotations

from codemods.commands.tf1_loading_to_tf2 import TF1LoadingToTF2
from codemods.engine.rewrite import rewrite_code
from tests.codemods.codemod_test import CodemodTest


class TestTF1LoadingToTF2(CodemodTest):
    TRANSFORM = TF1LoadingToTF2

    def test_no_change_for_tf2_load(self) -> None:
        """TF2 tf.saved_model.load(dir) is already migrated."""
        code = """
            import tensorflow as tf
            model = tf.saved_model.load("/m")
        """
        self.assertCodemod(code, code, expected_warnings=[])

    def test_inline_signature_lookup(self) -> None:
        """Lookups written inline on signature_def still resolve; the session goes away."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                x = mg.signature_def["k"].inputs["x"].name
                y = mg.signature_def["k"].outputs["y"].name
                out = s.run(y, feed_dict={x: data})
        """
        after = """
            import tensorflow as tf
            mg = tf.saved_model.load(d, tags=["serve"])
            out = mg.signatures["k"](x=data)["y"].numpy()
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_tags_from_constants(self) -> None:
        """Tags given by an imported constant or a name assigned once to a serving list."""
        before = """
            import tensorflow as tf
            from tensorflow.saved_model.tag_constants import SERVING
            TAGS = [SERVING]
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, TAGS, d)
                x = mg.signature_def["k"].inputs["x"].name
                y = mg.signature_def["k"].outputs["y"].name
                out = s.run(y, feed_dict={x: data})
        """
        after = """
            import tensorflow as tf
            from tensorflow.saved_model.tag_constants import SERVING
            TAGS = [SERVING]
            mg = tf.saved_model.load(d, tags=["serve"])
            out = mg.signatures["k"](x=data)["y"].numpy()
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_tags_name_changed_later_is_refused(self) -> None:
        """`TAGS.append(...)` may add a tag: the block stays, with a TODO."""
        before = """
            import tensorflow as tf
            TAGS = ["serve"]
            TAGS.append("gpu")
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, TAGS, d)
        """
        warning = "LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]"
        after = f"""
            import tensorflow as tf
            TAGS = ["serve"]
            TAGS.append("gpu")
            with tf.compat.v1.Session() as s:
                # TODO(tf-migrate): {warning}
                mg = tf.compat.v1.saved_model.load(s, TAGS, d)
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_extra_session_use_is_refused(self) -> None:
        """A session used for anything else keeps the block, with a TODO."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                s.run("init_all_tables")
        """
        warning = "LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]"
        after = f"""
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                # TODO(tf-migrate): {warning}
                mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                s.run("init_all_tables")
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_meta_graph_def_read_after_the_block_is_refused(self) -> None:
        """`meta.graph_def` after the block would read the TF2 object (no `graph_def`): refuse.

        A function whose own local has the same name is another variable and does not count.
        """
        before = """
            import tensorflow as tf
            def other(meta):
                return meta
            with tf.compat.v1.Session() as s:
                meta = tf.compat.v1.saved_model.load(s, ["serve"], d)
            graph_def = meta.graph_def
        """
        warning = "LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]"
        after = f"""
            import tensorflow as tf
            def other(meta):
                return meta
            with tf.compat.v1.Session() as s:
                # TODO(tf-migrate): {warning}
                meta = tf.compat.v1.saved_model.load(s, ["serve"], d)
            graph_def = meta.graph_def
        """
        self.assertCodemod(before, after, expected_warnings=[warning])
        unused = before.replace("graph_def = meta.graph_def", "")
        converted = self.rewrite(unused).code
        assert "Session" not in converted and "def other(meta):" in converted

    def test_non_serving_tags_are_refused(self) -> None:
        """Training tags would make TF2 load a different graph: refuse."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                mg = tf.compat.v1.saved_model.load(s, ["train"], d)
        """
        warning = "LOADER_PATTERN: use tf.saved_model.load(dir).signatures[key]"
        after = f"""
            import tensorflow as tf
            with tf.compat.v1.Session() as s:
                # TODO(tf-migrate): {warning}
                mg = tf.compat.v1.saved_model.load(s, ["train"], d)
        """
        self.assertCodemod(before, after, expected_warnings=[warning])

    def test_meta_graph_block_becomes_wrap_function_and_prune(self) -> None:
        """import_meta_graph + restore + literal-name runs: no Session, one prune per run shape."""
        before = """
            import tensorflow.compat.v1 as tf
            with tf.Session() as sess:
                saver = tf.train.import_meta_graph(meta_path, clear_devices=True)
                saver.restore(sess, ckpt)
                for batch in batches:
                    y = sess.run("y:0", feed_dict={"x:0": batch})
                a, b = sess.run(["y:0", "z:0"])
        """
        after = """
            import tensorflow.compat.v1 as tf
            import tensorflow as tf2

            savers = []
            imported = tf2.compat.v1.wrap_function(lambda: \\
                savers.append(tf.train.import_meta_graph(meta_path, clear_devices=True)), [])
            saver = savers[0]
            imported.prune(saver.saver_def.filename_tensor_name, \\
                saver.saver_def.restore_op_name)(tf2.constant(ckpt))
            with imported.graph.as_default():  \\
                # fetch values: a TF1 variable (float_ref) cannot be a pruned output
                pruned = imported.prune(["x:0"], \\
                    tf2.identity(imported.graph.get_tensor_by_name("y:0")))
                pruned_1 = imported.prune([], \\
                    [tf2.identity(imported.graph.get_tensor_by_name("y:0")), \\
                    tf2.identity(imported.graph.get_tensor_by_name("z:0"))])
            for batch in batches:
                y = pruned(tf2.constant(batch, \\
                    imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
            a, b = tf2.nest.map_structure(lambda t: t.numpy(), pruned_1())
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_meta_graph_fresh_names(self) -> None:
        """Names the module already uses are not reused for the holder or wrapped function."""
        before = """
            import tensorflow as tf
            imported = savers = 1
            with tf.compat.v1.Session() as s:
                sv = tf.compat.v1.train.import_meta_graph("m.meta")
                sv.restore(s, "m")
        """
        after = """
            import tensorflow as tf
            imported = savers = 1
            savers_1 = []
            imported_1 = tf.compat.v1.wrap_function(lambda: \\
                savers_1.append(tf.compat.v1.train.import_meta_graph("m.meta")), [])
            sv = savers_1[0]
            imported_1.prune(sv.saver_def.filename_tensor_name, \\
                sv.saver_def.restore_op_name)(tf.constant("m"))
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_meta_graph_tensors_bound_by_name(self) -> None:
        """Lookups into variables are redirected to the imported graph; runs prune on the
        names the variables were bound to; a named graph bound just before is fine."""
        before = """
            import tensorflow.compat.v1 as tf
            g = tf.Graph()
            with tf.Session(graph=g) as sess:
                saver = tf.train.import_meta_graph(path + ".meta")
                saver.restore(sess, path)
                x = g.get_tensor_by_name("x:0")
                y = sess.graph.get_tensor_by_name("y:0")
                print(x.name)
                out = sess.run(y, {x: batch})
            g = None
        """
        after = """
            import tensorflow.compat.v1 as tf
            import tensorflow as tf2

            g = tf.Graph()
            savers = []
            imported = tf2.compat.v1.wrap_function(lambda: \\
                savers.append(tf.train.import_meta_graph(path + ".meta")), [])
            saver = savers[0]
            imported.prune(saver.saver_def.filename_tensor_name, \\
                saver.saver_def.restore_op_name)(tf2.constant(path))
            with imported.graph.as_default():  \\
                # fetch values: a TF1 variable (float_ref) cannot be a pruned output
                pruned = imported.prune(["x:0"], \\
                    tf2.identity(imported.graph.get_tensor_by_name("y:0")))
            x = imported.graph.get_tensor_by_name("x:0")
            y = imported.graph.get_tensor_by_name("y:0")
            print(x.name)
            out = pruned(tf2.constant(batch, \\
                imported.graph.get_tensor_by_name("x:0").dtype)).numpy()
            g = None
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_names_reused_by_a_later_block_are_rebound_there(self) -> None:
        """Notebook-style scripts reuse `g`, `sess` and `saver` block after block: a later
        rebinding ends the old object's life, so both blocks convert; a read before the
        rebinding still refuses."""
        block = (
            "g = tf.Graph()\n"
            "with tf.Session(graph=g) as sess:\n"
            '    saver = tf.train.import_meta_graph("m.meta")\n'
            '    saver.restore(sess, "m")\n'
            '    y{n} = sess.run("y:0", feed_dict={{"x:0": x}})\n'
        )
        code = "import tensorflow.compat.v1 as tf\n" + block.format(n=1) + block.format(n=2)
        outcome = rewrite_code(code, (TF1LoadingToTF2,))
        assert not outcome.findings and "Session" not in outcome.code
        assert outcome.code.count("savers_1 = []") == 1
        late = code.replace("g = tf.Graph()\nwith", "print(saver)\ng = tf.Graph()\nwith")
        outcome = rewrite_code(late, (TF1LoadingToTF2,))
        assert [f.code for f in outcome.findings] == ["META_GRAPH"]
        assert outcome.code.count("as sess:") == 1  # the second block still converts

    def test_saved_model_tensor_names_use_the_loaded_prune(self) -> None:
        """A SavedModel block that runs tensors by name (never reading the MetaGraphDef) prunes
        the TF2-loaded object: it keeps the imported graph, `.graph` and `.prune`."""
        before = """
            import tensorflow as tf
            with tf.compat.v1.Session() as sess:
                meta = tf.compat.v1.saved_model.load(sess, ["serve"], d)  # load
                y = sess.graph.get_tensor_by_name("y:0")
                out = sess.run([y], {"x:0": data})
        """
        after = """
            import tensorflow as tf
            meta = tf.saved_model.load(d, tags=["serve"])  # load
            with meta.graph.as_default():  \\
                # fetch values: a TF1 variable (float_ref) cannot be a pruned output
                pruned = meta.prune(["x:0"], [tf.identity(meta.graph.get_tensor_by_name("y:0"))])
            y = meta.graph.get_tensor_by_name("y:0")
            out = tf.nest.map_structure(lambda t: t.numpy(), \\
                pruned(tf.constant(data, meta.graph.get_tensor_by_name("x:0").dtype)))
        """
        self.assertCodemod(before, after, expected_warnings=[])

    def test_saved_model_tensor_names_refusals(self) -> None:
        """The MetaGraphDef read, other tags, a run before the load, a dynamic name: TODO."""
        head = "import tensorflow as tf\nwith tf.compat.v1.Session() as sess:\n"
        load = '    meta = tf.compat.v1.saved_model.load(sess, ["serve"], d)\n'
        run = '    out = sess.run("y:0", {"x:0": data})\n'
        cases = {
            "MetaGraphDef read": head + load + "    print(meta.collection_def)\n" + run,
            "MetaGraphDef read later": head + load + run + "print(meta.graph_def)\n",
            "train tags": head + load.replace('"serve"', '"train"') + run,
            "run before the load": head + run + load,
            "dynamic name": head + load + run.replace('"y:0"', "name"),
            "two loads": head + load + load + run,
            "load in a branch": head + "    if c:\n    " + load + run,
        }
        for label, code in cases.items():
            outcome = rewrite_code(code, (TF1LoadingToTF2,))
            assert "LOADER_PATTERN" in [f.code for f in outcome.findings], label
            assert "as sess:" in outcome.code, label

    def test_default_or_named_graph_read_elsewhere_is_refused(self) -> None:
        """The load lands in the session's graph: the process-wide default one for `Session()`,
        `g` for `Session(graph=g)`. Graph reads elsewhere could see it; the rewrite leaves it
        empty, so every form refuses."""
        body = (
            '    meta = tf.compat.v1.saved_model.load(sess, ["serve"], d)\n'
            '    x = meta.signature_def["k"].inputs["x"].name\n'
            '    y = meta.signature_def["k"].outputs["y"].name\n'
            "    out = sess.run(y, feed_dict={x: data})\n"
        )
        default = "import tensorflow as tf\nwith tf.compat.v1.Session() as sess:\n" + body
        named = default.replace(
            "with tf.compat.v1.Session() as sess",
            "g = tf.Graph()\nwith tf.compat.v1.Session(graph=g) as sess",
        )
        cases = {
            "default graph read later": default
            + "ops = tf.compat.v1.get_default_graph().get_operations()\n",
            "named graph read later": named + "ops = g.get_operations()\n",
        }
        for label, code in cases.items():
            outcome = rewrite_code(code, (TF1LoadingToTF2,))
            assert [f.code for f in outcome.findings] == ["LOADER_PATTERN"], label
            assert "as sess:" in outcome.code, label
        assert "as sess:" not in rewrite_code(named, (TF1LoadingToTF2,)).code

    def test_meta_graph_refusals(self) -> None:
        """Anything not provably a literal-name inference block keeps the Session and a TODO."""
        head = "import tensorflow as tf\nwith tf.compat.v1.Session() as sess:\n"
        imp = '    saver = tf.compat.v1.train.import_meta_graph("m.meta")\n'
        restore = '    saver.restore(sess, "m")\n'
        cases = {
            "training op": head + imp + restore + '    sess.run("train_op")\n',
            "dynamic fetch": head + imp + restore + '    sess.run(name, {"x:0": 1})\n',
            "dynamic feed": head + imp + restore + '    sess.run("y:0", {key: 1})\n',
            "feed_dict variable": head + imp + restore + '    sess.run("y:0", feeds)\n',
            "run options": head + imp + restore + '    sess.run("y:0", options=opts)\n',
            "run before restore": head + imp + '    sess.run("y:0")\n' + restore,
            "no restore": head + imp + '    sess.run("y:0")\n',
            "session passed on": head + imp + restore + "    helper(sess)\n",
            "graph listing": head + imp + restore + "    ops = sess.graph.get_operations()\n",
            "looked-up tensor in a new op": head
            + imp
            + restore
            + '    t = tf.compat.v1.get_default_graph().get_tensor_by_name("y:0")\n'
            + "    sess.run(t * 2)\n",
            "looked-up tensor bound twice": head
            + imp
            + restore
            + '    t = sess.graph.get_tensor_by_name("y:0")\n'
            + '    t = sess.graph.get_tensor_by_name("z:0")\n'
            + "    sess.run(t)\n",
            "looked-up tensor read after the block": head
            + imp
            + restore
            + '    t = sess.graph.get_tensor_by_name("y:0")\n'
            + "    sess.run(t)\n"
            + "print(t)\n",
            "lookup of an operation name": head
            + imp
            + restore
            + '    t = sess.graph.get_tensor_by_name("train_op")\n'
            + "    sess.run(t)\n",
            "lookup in another graph": head
            + imp
            + restore
            + '    t = other.get_tensor_by_name("y:0")\n'
            + "    sess.run(t)\n",
            "named graph read after the block": "import tensorflow as tf\ng = tf.Graph()\n"
            + head.split("\n", 1)[1].replace("Session()", "Session(graph=g)")
            + imp
            + restore
            + "print(g.get_operations())\n",
            "named graph in a loop": "import tensorflow as tf\nfor i in range(2):\n"
            + "    g = tf.Graph()\n"
            + "    with tf.compat.v1.Session(graph=g) as sess:\n"
            + "    "
            + imp
            + "    "
            + restore,
            "saver used later": head + imp + restore + 'saver.save(other, "p")\n',
            "import scope": head
            + '    saver = tf.compat.v1.train.import_meta_graph("m.meta", import_scope="a")\n'
            + restore,
            "two imports": head
            + imp
            + restore
            + '    tf.compat.v1.train.import_meta_graph("n.meta")\n',
            "named graph": head.replace("Session()", "Session(graph=g)") + imp + restore,
        }
        for label, code in cases.items():
            outcome = rewrite_code(code, (TF1LoadingToTF2,))
            assert "META_GRAPH" in [f.code for f in outcome.findings], label
            assert "as sess:" in outcome.code, label

    def test_graph_mode_module_is_refused(self) -> None:
        """Eager execution disabled: pruned calls and .numpy() would not work; TODO instead."""
        code = """
            import tensorflow.compat.v1 as tf
            tf.disable_v2_behavior()
            with tf.Session() as sess:
                saver = tf.train.import_meta_graph("m.meta")
                saver.restore(sess, "m")
        """
        outcome = self.rewrite(code)
        assert [f.code for f in outcome.findings] == ["LOADER_GRAPH_MODE"]
        assert "with tf.Session() as sess:" in outcome.code

    def test_block_inside_graph_context_is_refused(self) -> None:
        """Inside `with graph.as_default():` the same code runs in graph mode: TODO, no rewrite."""
        code = """
            import tensorflow as tf
            with tf.Graph().as_default():
                with tf.compat.v1.Session() as s:
                    mg = tf.compat.v1.saved_model.load(s, ["serve"], d)
                    y = mg.signature_def["k"].outputs["y"].name
                    out = s.run(y, feed_dict={})
        """
        outcome = self.rewrite(code)
        assert [f.code for f in outcome.findings] == ["LOADER_GRAPH_MODE"]
        assert "with tf.compat.v1.Session() as s:" in outcome.code

    def test_already_migrated_meta_graph_is_quiet(self) -> None:
        """import_meta_graph inside wrap_function is the TF2 recipe: no TODO, no change."""
        code = """
            import tensorflow as tf
            savers = []
            imported = tf.compat.v1.wrap_function(lambda: \\
                savers.append(tf.compat.v1.train.import_meta_graph("m")), [])
        """
        self.assertCodemod(code, code, expected_warnings=[])


def test_dataloader_files_do_not_trigger_the_loader_codemod() -> None:
    """A PyTorch-style `DataLoader` mentions "loader" but no TF loader: the codemod is not even
    run."""
    from codemods.commands.tf1_loading_to_tf2 import TF1LoadingToTF2  # noqa: PLC0415

    code = (
        "import tensorflow as tf\nfrom torch.utils.data import DataLoader\nloader = "
        "DataLoader(ds)\n"
    )
    assert not any(trigger in code for trigger in TF1LoadingToTF2.TRIGGERS)
    assert any(
        trigger in "from tensorflow.python.saved_model import loader\n"
        for trigger in TF1LoadingToTF2.TRIGGERS
    )
