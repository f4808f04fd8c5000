import tensorflow.compat.v1 as tf

# TODO(tf-migrate): SAVER_VARLIST: the variable set is computed at run time; list the variables explicitly
saver = tf.train.Saver(filter_variables(include, exclude))
ema = tf.train.ExponentialMovingAverage(0.99)
# TODO(tf-migrate): SAVER_VARLIST: a name-keyed var_list (EMA names) reads TF1 checkpoints only; this module saves
shadow_saver = tf.train.Saver({ema.average_name(v): v for v in tf.trainable_variables()})
with tf.Session() as sess:
    saver.save(sess, "/tmp/m", global_step=1)
    shadow_saver.restore(sess, "/tmp/ema")
