import tensorflow

v = tensorflow.Variable(1.0)
saver = tensorflow.train.Checkpoint(v=v)
with tensorflow.Session() as sess:
    saver.write("/tmp/v")
