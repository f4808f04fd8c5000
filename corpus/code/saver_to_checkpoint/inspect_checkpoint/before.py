from tensorflow.python.tools import inspect_checkpoint as chkp

chkp.print_tensors_in_checkpoint_file("/tmp/model.ckpt", tensor_name="", all_tensors=False)
chkp.print_tensors_in_checkpoint_file("/tmp/model.ckpt", tensor_name="v1", all_tensors=False)
chkp.print_tensors_in_checkpoint_file("/tmp/model.ckpt", "", True)
