import tensorflow as tf  # the framework

v = tf.Variable(0.0, name="v")
saver = (  # a saver
    tf.train.Saver(  # build it
        [v],  # only v
        max_to_keep=3,
    )
)
with tf.compat.v1.Session() as sess:
    # restore first
    saver.restore(
        sess,  # the session
        "/ckpt/model-7",  # the path
    )
