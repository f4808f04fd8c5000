import tensorflow.compat.v1 as tf

saver = tf.train.Saver(tf.trainable_variables())
with tf.Session() as sess:
    saver.save(sess, "/tmp/m", global_step=1)
