import tensorflow as tf

v = tf.Variable(1.0, name="v")
saver = tf.train.Saver([v])
with tf.compat.v1.Session() as sess:
    saver.save(sess, "/tmp/model/ckpt", global_step=10)
