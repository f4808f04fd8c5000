import tensorflow.compat.v1 as tf

v = tf.get_variable("v", [1])
# TODO(tf-migrate): SAVER_ESCAPES: Saver.export_meta_graph() has no Checkpoint equivalent
exporter = tf.train.Saver([v])
exporter.export_meta_graph("/tmp/graph.meta")

# TODO(tf-migrate): SAVER_SESSION: save inside `with sess.as_default():` so Checkpoint finds it
saver = tf.train.Saver([v])
sess = tf.train.MonitoredTrainingSession()
saver.save(sess, "/tmp/m", global_step=1)


def build():
    # TODO(tf-migrate): SAVER_UNTRACKED: assign the Saver to a variable first
    return tf.train.Saver([v])
