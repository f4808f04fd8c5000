import tensorflow.compat.v1 as tf
import tensorflow as tf2

v = tf.get_variable("v", [1])
saver = {"old_name": v}
with tf.Session() as sess:
    sess.run([var.assign(tf2.train.load_variable("/tmp/old", key)) for key, var in saver.items()])
