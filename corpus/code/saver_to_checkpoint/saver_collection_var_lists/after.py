import tensorflow.compat.v1 as tf
import tensorflow as tf2

everything = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
legacy = tf2.train.Checkpoint(**{v.op.name: v for v in tf.all_variables()})
default = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables()})
weights = tf2.train.Checkpoint(**{v.op.name: v for v in tf.trainable_variables()})
encoder = tf2.train.Checkpoint(**{v.op.name: v for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, scope="encoder")})
no_step = tf2.train.Checkpoint(**{v.op.name: v for v in tf.global_variables() if "global_step" not in v.name})
with tf.Session() as sess:
    tf2.train.CheckpointManager(everything, "/tmp/all", max_to_keep=2, checkpoint_name="model").save(checkpoint_number=1)
    legacy.read("/tmp/legacy").run_restore_ops(sess)
    default.read("/tmp/default").run_restore_ops(sess)
    weights.read("/tmp/pretrained").run_restore_ops(sess)
    encoder.read("/tmp/encoder").run_restore_ops(sess)
    no_step.read("/tmp/no_step").run_restore_ops(sess)
