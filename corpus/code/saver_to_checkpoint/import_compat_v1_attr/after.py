import tensorflow as tf

v = tf.compat.v1.get_variable("v", [3])
saver = tf.train.Checkpoint(v=v)
with tf.compat.v1.Session() as sess, sess.as_default():
    tf.train.CheckpointManager(saver, ".", max_to_keep=None, checkpoint_name="ckpt").save(checkpoint_number=1)
    saver.read("ckpt-1").run_restore_ops(sess)
