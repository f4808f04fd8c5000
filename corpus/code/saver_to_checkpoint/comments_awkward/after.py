import tensorflow as tf  # the framework

v = tf.Variable(0.0, name="v")
# build it
# only v
saver = (  # a saver
    tf.train.Checkpoint(v=v)
)
with tf.compat.v1.Session() as sess:
    # restore first
    # the session
    # the path
    saver.read("/ckpt/model-7").run_restore_ops(sess)
