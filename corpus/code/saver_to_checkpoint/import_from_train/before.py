from tensorflow.compat.v1 import train
import tensorflow.compat.v1 as tf

x = tf.get_variable("x", [1])
saver = train.Saver([x])
with tf.Session() as session:
    saver.save(session, "out/x.ckpt", global_step=tf.train.get_global_step())
