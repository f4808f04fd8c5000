import tensorflow as tf

print(tf.train.list_variables("/tmp/model.ckpt"))
print(tf.train.load_checkpoint("/tmp/model.ckpt").get_tensor("v1"))
print({name: tf.train.load_checkpoint("/tmp/model.ckpt").get_tensor(name) for name, _ in tf.train.list_variables("/tmp/model.ckpt")})
