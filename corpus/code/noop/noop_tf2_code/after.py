import tensorflow as tf

ckpt = tf.train.Checkpoint(v=tf.Variable(1.0))
manager = tf.train.CheckpointManager(ckpt, "/tmp/ckpt", max_to_keep=3)
manager.save()
print(tf.train.latest_checkpoint("/tmp/ckpt"))
