"""A builder whose private members are used: the TF2 drop-in does not have them."""

import tensorflow as tf


def export_versioned(sess, export_dir, signatures):
    builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(sess, ["serve"], signature_def_map=signatures)
    print("exporting to", builder._export_dir)
    builder.save()
