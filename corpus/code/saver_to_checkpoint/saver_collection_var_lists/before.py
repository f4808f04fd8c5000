import tensorflow.compat.v1 as tf

everything = tf.train.Saver(tf.global_variables(), max_to_keep=2)
legacy = tf.train.Saver(var_list=tf.all_variables())
default = tf.train.Saver(var_list=None)
weights = tf.train.Saver(tf.trainable_variables())
encoder = tf.train.Saver(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="encoder"))
no_step = tf.train.Saver([v for v in tf.global_variables() if "global_step" not in v.name])
with tf.Session() as sess:
    everything.save(sess, "/tmp/all/model", global_step=1)
    legacy.restore(sess, "/tmp/legacy")
    default.restore(sess, "/tmp/default")
    weights.restore(sess, "/tmp/pretrained")
    encoder.restore(sess, "/tmp/encoder")
    no_step.restore(sess, "/tmp/no_step")
