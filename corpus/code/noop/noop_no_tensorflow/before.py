"""A module with its own Saver class: not TensorFlow, must not change."""


class Saver:
    def save(self, sess, path):
        return path


saver = Saver()
saver.save(None, "x")
