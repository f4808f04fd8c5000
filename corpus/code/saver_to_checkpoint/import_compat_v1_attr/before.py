import tensorflow as tf

v = tf.compat.v1.get_variable("v", [3])
saver = tf.compat.v1.train.Saver(var_list=(v,), max_to_keep=None)
with tf.compat.v1.Session() as sess, sess.as_default():
    saver.save(sess, "ckpt", global_step=1)
    saver.restore(sess, "ckpt-1")
