import tensorflow.compat.v1 as tf

# TODO(tf-migrate): SAVER_VARLIST: the variable set is computed at run time; list the variables explicitly
saver = tf.train.Saver(tf.trainable_variables())
with tf.Session() as sess:
    saver.save(sess, "/tmp/m", global_step=1)
