import tensorflow

v = tensorflow.Variable(1.0)
saver = tensorflow.train.Saver({"v": v})
with tensorflow.Session() as sess:
    saver.save(sess, "/tmp/v")
