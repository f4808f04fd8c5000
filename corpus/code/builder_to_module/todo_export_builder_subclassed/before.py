"""The module subclasses the TF1 builder, so its constructor calls stay TF1."""

import tensorflow as tf


class LoggingBuilder(tf.saved_model.Builder):
    def save(self, as_text=False):
        print("saving")
        return super().save(as_text)


def export(sess, export_dir, signatures):
    builder = tf.saved_model.Builder(export_dir)
    builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map=signatures)
    builder.save()
