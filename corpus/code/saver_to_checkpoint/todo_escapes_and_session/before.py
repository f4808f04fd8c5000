import tensorflow.compat.v1 as tf

v = tf.get_variable("v", [1])
exporter = tf.train.Saver([v])
exporter.export_meta_graph("/tmp/graph.meta")

saver = tf.train.Saver([v])
sess = tf.train.MonitoredTrainingSession()
saver.save(sess, "/tmp/m", global_step=1)


def build():
    return tf.train.Saver([v])
