import tensorflow as tf

v = tf.Variable(1.0, name="v")
saver = tf.train.Checkpoint(v=v)
with tf.compat.v1.Session() as sess:
    tf.train.CheckpointManager(saver, "/tmp/model", max_to_keep=5, checkpoint_name="ckpt").save(checkpoint_number=10)
