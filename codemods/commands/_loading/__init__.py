"""Helpers of `tf1_loading_to_tf2`: the MetaGraph recipe and the tensor-name bindings it reads."""
