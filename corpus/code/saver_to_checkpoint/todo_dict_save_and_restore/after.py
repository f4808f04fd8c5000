import tensorflow.compat.v1 as tf

v = tf.get_variable("v", [1])
# TODO(tf-migrate): SAVER_DICT_KEYS: saved and restored under dict keys; only tf.compat.v1 Saver writes those
saver = tf.train.Saver({"old_name": v})
with tf.Session() as sess:
    saver.restore(sess, "/tmp/old")
    saver.save(sess, "/tmp/new")
