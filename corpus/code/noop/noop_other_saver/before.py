import tensorflow as tf
from mylib import Saver

saver = Saver()
with tf.compat.v1.Session() as sess:
    saver.save(sess, "/tmp/x")
