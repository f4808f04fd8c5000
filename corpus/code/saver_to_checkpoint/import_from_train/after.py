import tensorflow.compat.v1 as tf
import tensorflow as tf2

x = tf.get_variable("x", [1])
saver = tf2.train.Checkpoint(x=x)
with tf.Session() as session:
    tf2.train.CheckpointManager(saver, "out", max_to_keep=5, checkpoint_name="x.ckpt").save(checkpoint_number=tf.train.get_global_step())
