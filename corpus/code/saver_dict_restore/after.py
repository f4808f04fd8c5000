import tensorflow.compat.v1 as tf

v = tf.get_variable("v", [1])
# TODO(tf-migrate): SAVER_DICT_KEYS: restore TF1 keys with tf.train.load_checkpoint by hand
saver = tf.train.Saver({"old_name": v}, sharded=True)
with tf.Session() as sess:
    saver.restore(sess, "/tmp/old")
